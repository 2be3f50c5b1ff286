/** Not XML, not well-formed, a DTD, or over the parse limits. */
export class XmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlParseError';
  }
}
