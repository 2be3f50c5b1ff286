/** Input that breaks the contract: becomes StandardRetur 40 naming the offending field. */
export class WireError extends Error {
  constructor(public readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'WireError';
  }
}
