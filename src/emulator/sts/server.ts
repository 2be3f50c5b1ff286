import { createServer, type Server } from 'node:http';
import { BodyTooLarge, readBody } from '../../http/body';
import { listen } from '../http';
import { SecurityFault, securityFaultXml } from '../security/fault';
import { LocalSts, type StsOptions } from './issue';

/** KOMBIT's path for the WS-Trust endpoint (STS 2, "certificatemixed"). */
export const STS_PATH = '/runtime/services/kombittrust/14/certificatemixed';

export interface RunningSts {
  url: string;
  /** The token endpoint: `<url>/runtime/services/kombittrust/14/certificatemixed`. */
  endpoint: string;
  server: Server;
  /** Tokens issued (tests count them). */
  issued(): number;
  close(): Promise<void>;
}

const SOAP = 'application/soap+xml; charset=utf-8';

/** Starts the local STS (SOAP 1.2 only). A refused request is answered with a fault; the server keeps serving. */
export async function startLocalSts(opts: StsOptions, port = 0, host = '127.0.0.1'): Promise<RunningSts> {
  const sts = new LocalSts(opts);
  let issued = 0;
  const server = createServer((req, res) => {
    const send = (status: number, xml: string): void => {
      res.writeHead(status, { 'content-type': SOAP, 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
    };
    if ((req.url ?? '').split('?')[0] !== STS_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('POST only');
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/soap+xml')) {
      send(415, securityFaultXml(new SecurityFault('InvalidSecurity', 'SOAP 1.2 (application/soap+xml) only')));
      return;
    }
    readBody(req, 1024 * 1024).then((text) => {
      try {
        const answer = sts.issue(text);
        issued++;
        send(200, answer);
      } catch (e) {
        if (!(e instanceof SecurityFault)) process.emitWarning(`local STS error: ${(e as Error).stack ?? e}`);
        send(500, securityFaultXml(e instanceof SecurityFault ? e : new SecurityFault('InvalidSecurity', 'internal error')));
      }
    }, (e: unknown) => {
      if (e instanceof BodyTooLarge) send(413, securityFaultXml(new SecurityFault('InvalidSecurity', e.message)));
    });
  });
  const url = await listen(server, port, host);
  return {
    url, endpoint: url + STS_PATH, server, issued: () => issued,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
