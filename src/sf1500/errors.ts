/** Why an SF1500 call failed; the subgraph turns these into GraphQL error codes. */
export type Sf1500ErrorCode =
  | 'SF1500_TIMEOUT' | 'SF1500_UNAVAILABLE' | 'SF1500_CIRCUIT_OPEN' | 'SF1500_FAULT'
  | 'SF1500_STATUS' | 'SF1500_BAD_RESPONSE' | 'SF1500_UNAUTHORIZED' | 'SF1500_SECURITY'
  /** The request that asked was cancelled (its client left or its budget ended): not SF1500's fault. */
  | 'SF1500_CANCELLED';

export class Sf1500Error extends Error {
  constructor(
    public readonly code: Sf1500ErrorCode,
    message: string,
    public readonly service: string,
    public readonly operation: string,
    public readonly statusKode?: number,
  ) {
    super(message);
    this.name = 'Sf1500Error';
  }

  /** Worth retrying (reads only): the backend may answer next time. */
  get transient(): boolean {
    return this.code === 'SF1500_TIMEOUT' || this.code === 'SF1500_UNAVAILABLE' || (this.code === 'SF1500_STATUS' && (this.statusKode ?? 0) >= 50);
  }
}
