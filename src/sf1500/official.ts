import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createClientAsync } from 'soap';
import { OBJECT_TYPES } from '../model/objects';

/**
 * KOMBIT's official WSDL directory, read with node-soap: node-soap serves well as a WSDL reader
 * (it resolves the imports and bindings), while the wire itself is ours (node-soap sends SOAP 1.1 and
 * misplaces the body with these WSDLs; see DESIGN/BENCHMARKS). At start we check that every
 * operation the client calls exists in the official binding and take its soapAction from there.
 */

export interface OfficialContract {
  /** `service.op` → soapAction as the official binding declares it. */
  soapActions: Map<string, string>;
}

const WSDL_FILES: Array<{ service: string; file: string; ops: string[] }> = [
  ...OBJECT_TYPES.map((t) => ({ service: t.service, file: `${t.name}.wsdl`, ops: ['laes', 'list', 'soeg', 'opret', 'importer', 'ret', 'passiver', 'slet'] })),
  { service: 'organisationsystem', file: 'OrganisationSystem.wsdl', ops: ['fremsoegobjekthierarki', 'import', 'anonymiser'] },
  { service: 'organisationadministration', file: 'OrganisationAdministration.wsdl', ops: ['fysiskslet'] },
];

export async function loadOfficialContract(dir: string): Promise<OfficialContract> {
  const wsdlDir = existsSync(join(dir, 'wsdl')) ? join(dir, 'wsdl') : dir;
  const soapActions = new Map<string, string>();
  const problems: string[] = [];
  for (const w of WSDL_FILES) {
    const path = join(wsdlDir, w.file);
    if (!existsSync(path)) {
      problems.push(`${path}: missing`);
      continue;
    }
    const client = await createClientAsync(path);
    const bindings = Object.values((client.wsdl.definitions as unknown as { bindings: Record<string, { methods: Record<string, { soapAction?: string }> }> }).bindings);
    const methods = Object.assign({}, ...bindings.map((b) => b.methods)) as Record<string, { soapAction?: string }>;
    for (const op of w.ops) {
      const m = methods[op];
      if (!m) problems.push(`${w.file}: operation ${op} is not in the binding`);
      else if (m.soapAction) soapActions.set(`${w.service}.${op}`, m.soapAction);
    }
  }
  if (problems.length > 0) throw new Error(`official SF1500 contract at ${dir} does not fit:\n  - ${problems.join('\n  - ')}`);
  return { soapActions };
}
