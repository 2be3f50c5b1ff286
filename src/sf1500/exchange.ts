import type { HttpResult } from './transport';

/** One outgoing SOAP call, as the client built it. */
export interface SoapCall {
  service: string;
  operation: string;
  soapAction: string;
  url: string;
  envelope: string;
}

/**
 * The client's one hook for message-level concerns (OIO IDWS signing and answer verification,
 * traces): given the call and a `send` that posts an envelope as is, returns the answer. An
 * implementation may send more than once (a fresh token after a refusal) and may throw Sf1500Error.
 */
export interface SoapExchange {
  exchange(call: SoapCall, send: (envelope: string) => Promise<HttpResult>): Promise<HttpResult>;
}
