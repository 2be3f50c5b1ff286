import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLarge, readBody } from '../http/body';
import { WireError } from '../wire/errors';
import { buildEnvelope, buildFault, parseEnvelope } from '../wire/envelope';
import { XmlParseError } from '../xml/reader';
import { serviceCatalogue, type ServiceDef } from './services/catalogue';
import type { ServiceContext } from './services/context';
import { retur, STATUS } from './services/respond';
import type { RequestGuard } from './security/guard';

export interface HttpOptions {
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;
  /** Largest number of XML elements in one request. */
  maxElements: number;
  /** When set, every request must carry HTTP basic credentials `user:password`. */
  basicAuth?: string;
  /** Serves `?wsdl` for a service (schemas referenced under `contractBase`); undefined when no contract is available. */
  wsdl?: (service: string, location: string, contractBase: string) => string | undefined;
  /** Serves a contract file (`xsd/...`) at GET `/contract/<path>`, so the WSDLs' schema imports resolve. */
  contractFile?: (path: string) => string | undefined;
  /** Message-level security (OIO IDWS): admits each request, scopes it to a municipality, seals the answer. */
  guard?: RequestGuard;
  /** Called once per handled SOAP request (for logs and tests). */
  onRequest?: (info: { service: string; operation: string; status: number; ms: number }) => void;
  /** Sees every SOAP exchange verbatim (tests validate both directions against the XSDs). */
  onExchange?: (exchange: { path: string; request: string; response: string; httpStatus: number }) => void;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = { maxBodyBytes: 16 * 1024 * 1024, maxElements: 500_000 };


function sendRaw(res: ServerResponse, status: number, xml: string, contentType = 'application/soap+xml; charset=utf-8', close = false): void {
  if (res.headersSent) return;
  // Encode once: byteLength() and end(string) would each walk a hierarchy page of tens of MB.
  const buf = Buffer.from(xml, 'utf8');
  res.writeHead(status, { 'content-type': contentType, 'content-length': buf.length, ...(close ? { connection: 'close' } : {}) });
  res.end(buf);
}

/**
 * The HTTP face of the local SF1500: one path per service as KOMBIT's endpoints, SOAP 1.2 POSTs,
 * `?wsdl` on GET. Protocol errors are SOAP Faults; business errors are StandardRetur codes.
 * Each write runs in one store transaction holding the object's lock, so writes to one object never interleave.
 */
export function createSf1500Server(ctx: ServiceContext, options: Partial<HttpOptions> = {}): Server {
  const opts: HttpOptions = { ...DEFAULT_HTTP_OPTIONS, ...options };
  const services = new Map<string, ServiceDef>(serviceCatalogue().map((s) => [s.path, s]));
  const expectedAuth = opts.basicAuth ? `Basic ${Buffer.from(opts.basicAuth).toString('base64')}` : undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let requestText = '';
    const send = (r: ServerResponse, status: number, xml: string, contentType?: string, close?: boolean): void => {
      sendRaw(r, status, xml, contentType, close);
      if (req.method === 'POST') opts.onExchange?.({ path: url.pathname, request: requestText, response: xml, httpStatus: status });
    };
    let path = url.pathname;
    if (!path.endsWith('/')) path += '/';
    if (req.method === 'GET' && (path === '/health/' || path === '/')) {
      send(res, 200, JSON.stringify({ status: 'ok', services: [...services.keys()] }), 'application/json');
      return;
    }
    if (expectedAuth && req.headers.authorization !== expectedAuth) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="sf1500"', 'content-type': 'text/plain' });
      res.end('authentication required');
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/contract/')) {
      const file = opts.contractFile?.(url.pathname.slice('/contract/'.length));
      if (file) send(res, 200, file, 'text/xml; charset=utf-8');
      else send(res, 404, buildFault('Sender', `no contract file ${url.pathname}`));
      return;
    }
    const svc = services.get(path);
    if (!svc) {
      send(res, 404, buildFault('Sender', `no SF1500 service at ${url.pathname}`));
      return;
    }
    if (req.method === 'GET') {
      const host = req.headers.host ?? 'localhost';
      const wsdl = url.searchParams.has('wsdl') ? opts.wsdl?.(svc.service, `http://${host}${svc.path}`, `http://${host}/contract/`) : undefined;
      if (wsdl) send(res, 200, wsdl, 'text/xml; charset=utf-8');
      else send(res, 404, buildFault('Sender', 'GET serves only ?wsdl'));
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, buildFault('Sender', `method ${req.method} not allowed`));
      return;
    }
    const started = process.hrtime.bigint();
    let text: string;
    try {
      text = await readBody(req, opts.maxBodyBytes);
      requestText = text;
    } catch (e) {
      // The connection is closed after a 413: the rest of an oversized body is never read.
      if (e instanceof BodyTooLarge) send(res, 413, buildFault('Sender', e.message), undefined, true);
      return;
    }
    // The envelope is read under its limits (no DTD, depth 64, element count) before the security guard builds
    // a DOM of it: hostile XML never reaches xmldom's recursive walk.
    let env;
    try {
      env = parseEnvelope(text, { maxElements: opts.maxElements, maxDepth: 64 });
    } catch (e) {
      send(res, 400, buildFault('Sender', e instanceof XmlParseError ? e.message : 'unreadable SOAP message'));
      return;
    }
    const admission = opts.guard?.admit(text, `http://${req.headers.host ?? 'localhost'}${url.pathname}`);
    if (admission && 'fault' in admission) {
      send(res, 500, admission.fault);
      return;
    }
    if (!env.transactionUuid) {
      send(res, 400, buildFault('Sender', 'RequestHeader/TransactionUUID is required'));
      return;
    }
    const input = env.body;
    if (input.ns !== svc.namespace) {
      send(res, 400, buildFault('Sender', `body element {${input.ns}}${input.name} is not in this service's namespace ${svc.namespace}`, env.transactionUuid));
      return;
    }
    const handler = svc.handlers.get(input.name);
    if (!handler) {
      send(res, 400, buildFault('Sender', `unknown operation element ${input.name} for ${svc.service}`, env.transactionUuid));
      return;
    }
    const refused = admission?.refuse(input.name);
    if (refused) {
      send(res, 500, refused);
      return;
    }
    let status = STATUS.OK as number;
    let out;
    try {
      out = await handler(input, admission?.ctx ?? ctx);
      const m = /<sd:StatusKode>(\d+)</.exec(out.content);
      if (m) status = Number(m[1]);
    } catch (e) {
      if (e instanceof WireError) {
        status = STATUS.INVALID;
        out = svc.errorOutput(input.name, retur(STATUS.INVALID, e.message));
      } else {
        status = STATUS.INTERNAL;
        out = svc.errorOutput(input.name, retur(STATUS.INTERNAL, 'Intern fejl i den lokale SF1500'));
        process.emitWarning(`sf1500 internal error in ${svc.service}.${input.name}: ${(e as Error).stack ?? e}`);
      }
    }
    if (!out) {
      send(res, 500, buildFault('Receiver', 'no output', env.transactionUuid));
      return;
    }
    send(res, 200, admission ? admission.seal(buildEnvelope(out, env.transactionUuid)) : buildEnvelope(out, env.transactionUuid));
    opts.onRequest?.({ service: svc.service, operation: input.name.replace(/Input$/, ''), status, ms: Number(process.hrtime.bigint() - started) / 1e6 });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      sendRaw(res, 500, buildFault('Receiver', 'internal error'));
      process.emitWarning(`sf1500 http error: ${(e as Error).stack ?? e}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.requestTimeout = 180_000;
  return server;
}

export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo;
      resolve(`http://${host}:${a.port}`);
    });
  });
}
