/** The client's response mapping: SOAP answers of the read operations straight to domain objects. */
export { mapResponse, ResponseMapper, type MappedResponse, type MapPlan } from './mapper';
