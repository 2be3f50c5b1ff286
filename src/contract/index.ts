import { OBJECT_TYPES } from '../model/objects';
import { ADDRESS_PLACEHOLDER_BASE, FILES, objectFile, operationerFile } from './layout';
import { CONTRACT_SERVICES } from './services';
import { placeholderLocation, renderWsdl } from './wsdl';
import {
  faellesXsd, generelleDefinitionerXsd, objectXsd, operationerXsd, organisationAdministrationXsd, organisationSystemXsd, partXsd,
  requestHeaderXsd, sagDokObjektXsd,
} from './xsd';

/**
 * The local SF1500's own WSDL/XSD contract, generated from the object model (src/model).
 *
 * Wire-compatible with KOMBIT's SF1500 v6 (and SF1514 Klasse v6): same target namespaces,
 * element names, element order, occurrences, simple-type facets, SOAP 1.2 document/literal
 * binding, `RequestHeader` header part in both directions and the same soapAction values.
 * Type *names* and file layout are ours; they are not visible on the wire.
 *
 * The sagdok common types are not per object type, so they are written here as a template.
 * Everything per object type (attribute elements, Egenskab, Tilstand, relation elements and
 * lists, operations, WSDL messages and bindings) is produced by iterating over OBJECT_TYPES.
 * Every fact about the objects and services comes from the model (src/model); this folder only
 * knows the contract's layout and XSD/WSDL idiom.
 */

export { ADDRESS_PLACEHOLDER_BASE } from './layout';
export { CONTRACT_SERVICES, contractService, operationerSchemaFor, type ContractOperation, type ContractService } from './services';
export { placeholderLocation, wsdlFor, type WsdlOptions } from './wsdl';
export { xsdPattern } from './xsd-kit';

// ------------------------------------------------------------------------------------------
// The whole contract
// ------------------------------------------------------------------------------------------

function readme(files: readonly string[]): string {
  return [
    '# Local SF1500 contract (generated)',
    '',
    'WSDL/XSD of the local SF1500 (FK Organisation v6 services and SF1514 Klasse), generated from the',
    'object model in `src/model` by `src/contract/`. Do not edit these files:',
    'change the model or the generator and run `npm run contract`. A test fails when they are stale.',
    '',
    'The contract is wire-compatible with KOMBIT\'s SF1500 v6: same namespaces, element names and',
    'order, occurrences and facets, SOAP 1.2 document/literal with the `RequestHeader` header part in',
    'every message, and the same soapActions. Type names and the file layout are our own. Where the',
    'model disagrees with KOMBIT, the test lists it (KNOWN_MODEL_DEVIATIONS in test/contract/contract.test.ts). The',
    '`soap12:address` locations are placeholders (`' + ADDRESS_PLACEHOLDER_BASE + '...`); the server',
    'substitutes its own URL when it serves `?wsdl`. WS-Policy (OIOIDWS) is not part of this contract.',
    '',
    'Files:',
    '',
    ...files.map((f) => `* \`${f}\``),
    '',
  ].join('\n');
}

/** Every contract file, keyed by its path relative to the contract root (`contract/`). */
export function generateContract(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(FILES.sagdok, sagDokObjektXsd());
  files.set(FILES.header, requestHeaderXsd());
  files.set(FILES.part, partXsd());
  files.set(FILES.faelles, faellesXsd());
  files.set(FILES.sts, generelleDefinitionerXsd());
  for (const t of OBJECT_TYPES) {
    files.set(objectFile(t), objectXsd(t));
    files.set(operationerFile(t), operationerXsd(t));
  }
  files.set(FILES.orgsys, organisationSystemXsd());
  files.set(FILES.orgadm, organisationAdministrationXsd());
  for (const s of CONTRACT_SERVICES) files.set(`wsdl/${s.name}.wsdl`, renderWsdl(s, placeholderLocation(s)));
  files.set('README.md', readme([...files.keys()]));
  return files;
}
