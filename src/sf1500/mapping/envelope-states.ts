import type { StandardRetur } from '../../model/domain';
import { NS } from '../../model/namespaces';
import { XmlParseError } from '../../xml/reader';
import { SoapFaultError } from '../../wire/envelope';
import { WireError } from '../../wire/errors';
import { nameOf, type Scope } from './scope';
import {
  first, L_FAULT_CODE_VALUE, L_FAULT_REASON_TEXT, L_FAULT_TEXT, L_FAULT_VALUE, L_FEJLBESKED, L_STATUSKODE, L_TXUUID,
  S_BODY, S_DOC, S_ENVELOPE, S_FAULT, S_FAULT_CODE, S_FAULT_REASON, S_HEADER, S_OUT, S_OUT_DEAD, S_REQUESTHEADER, S_STANDARDRETUR,
} from './states';
import {
  Y_BODY, Y_CODE, Y_ENVELOPE, Y_FAULT, Y_FEJLBESKED, Y_HEADER, Y_REASON, Y_REQUESTHEADER, Y_STANDARDRETUR, Y_STATUSKODE, Y_TEXT, Y_TXUUID, Y_VALUE,
} from './symbols';

// first-child bits of the envelope
const BODY = 1;
const HEADER = 2;
const REQUESTHEADER = 4;
const FAULT_CODE = 8;
const FAULT_REASON = 16;
const RETUR = 32;

/**
 * The envelope's part of the machine: Envelope, Header/RequestHeader (TransactionUUID), Body, a
 * Fault, and the body element's StandardRetur. The body element's object lists are the content's.
 */
export class EnvelopeStates {
  seen = 0;
  bodyChildren = 0;
  txUuid: string | undefined = undefined;
  isFault = false;
  private fCodeValue: string | undefined = undefined;
  private fValue: string | undefined = undefined;
  private fReasonText: string | undefined = undefined;
  private fText: string | undefined = undefined;
  bodyNs = '';
  bodyName = '';
  /** Depth of the body element. */
  outLevel = 0;
  private srCode: string | undefined = undefined;
  private srMsg: string | undefined = undefined;
  retur: StandardRetur | WireError | undefined = undefined;

  get sawBody(): boolean {
    return (this.seen & BODY) !== 0;
  }

  /** The state of a child `y` of an envelope element in state `parent` (0 = skip it). */
  open(parent: number, y: number, scope: Scope, qname: string, level: number): number {
    switch (parent) {
      case S_DOC: {
        if (y === Y_ENVELOPE) return S_ENVELOPE;
        const { ns, local } = nameOf(scope, qname);
        if (ns === NS.soap11) throw new XmlParseError('SOAP 1.1 envelopes are not accepted: the service binds SOAP 1.2');
        throw new XmlParseError(`expected a SOAP 1.2 Envelope, got {${ns}}${local}`);
      }
      case S_ENVELOPE:
        if (y === Y_BODY && first(this, BODY)) return S_BODY;
        if (y === Y_HEADER && first(this, HEADER)) return S_HEADER;
        return 0;
      case S_HEADER:
        return y === Y_REQUESTHEADER && first(this, REQUESTHEADER) ? S_REQUESTHEADER : 0;
      case S_REQUESTHEADER:
        return y === Y_TXUUID && this.txUuid === undefined ? L_TXUUID : 0;
      case S_BODY: {
        if (++this.bodyChildren > 1) throw new XmlParseError(`SOAP Body must hold exactly one element, found ${this.bodyChildren}`);
        if (y === Y_FAULT) {
          this.isFault = true;
          return S_FAULT;
        }
        const { ns, local } = nameOf(scope, qname);
        this.bodyNs = ns;
        this.bodyName = local;
        this.outLevel = level;
        return S_OUT;
      }
      case S_FAULT:
        if (y === Y_CODE && first(this, FAULT_CODE)) return S_FAULT_CODE;
        if (y === Y_REASON && first(this, FAULT_REASON)) return S_FAULT_REASON;
        if (y === Y_VALUE && this.fValue === undefined) return L_FAULT_VALUE;
        if (y === Y_TEXT && this.fText === undefined) return L_FAULT_TEXT;
        return 0;
      case S_FAULT_CODE:
        return y === Y_VALUE && this.fCodeValue === undefined ? L_FAULT_CODE_VALUE : 0;
      case S_FAULT_REASON:
        return y === Y_TEXT && this.fReasonText === undefined ? L_FAULT_REASON_TEXT : 0;
      case S_OUT:
        // the mapper hands every other child of the body element to the content
        return y === Y_STANDARDRETUR && first(this, RETUR) ? S_STANDARDRETUR : 0;
      case S_OUT_DEAD:
        return 0;
      case S_STANDARDRETUR:
        if (y === Y_STATUSKODE && this.srCode === undefined) return L_STATUSKODE;
        if (y === Y_FEJLBESKED && this.srMsg === undefined) return L_FEJLBESKED;
        return 0;
      default:
        return 0;
    }
  }

  closeLeaf(st: number, text: string): void {
    const v = text.trim();
    switch (st) {
      case L_TXUUID: this.txUuid = v; break;
      case L_FAULT_CODE_VALUE: this.fCodeValue = v; break;
      case L_FAULT_VALUE: this.fValue = v; break;
      case L_FAULT_REASON_TEXT: this.fReasonText = v; break;
      case L_FAULT_TEXT: this.fText = v; break;
      case L_STATUSKODE: this.srCode = v; break;
      case L_FEJLBESKED: this.srMsg = v; break;
    }
  }

  close(st: number): void {
    if (st === S_BODY) {
      if (this.bodyChildren === 0) throw new XmlParseError('SOAP Body must hold exactly one element, found 0');
    } else if (st === S_STANDARDRETUR) {
      const code = Number(this.srCode);
      if (!Number.isInteger(code)) this.retur = new WireError(`${this.bodyName}/StandardRetur/StatusKode`, 'not an integer');
      else {
        const r: StandardRetur = { statusKode: code };
        if (this.srMsg !== undefined) r.fejlbeskedTekst = this.srMsg;
        this.retur = r;
      }
    }
  }

  /** At the end of the document: a missing Body is unreadable, a Fault is thrown. */
  finish(): void {
    if (!this.sawBody) throw new XmlParseError('SOAP Body is missing');
    if (this.isFault) {
      const code = ((this.seen & FAULT_CODE) !== 0 ? this.fCodeValue : this.fValue) ?? 'soap:Receiver';
      const reason = ((this.seen & FAULT_REASON) !== 0 ? this.fReasonText : this.fText) ?? 'SOAP fault';
      throw new SoapFaultError(code, reason);
    }
  }
}
