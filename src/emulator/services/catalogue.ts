import { NS } from '../../model/namespaces';
import { HIERARCHY_LISTS, OBJECT_OPERATIONS, OBJECT_TYPES } from '../../model/objects';
import type { StandardRetur } from '../../model/domain';
import { rootNamespaces, writeStandardRetur } from '../../wire/codec';
import type { EnvelopeBody } from '../../wire/envelope';
import { el } from '../../xml/writer';
import { administrationHandlers, systemHandlers } from './system';
import { objectHandlers, type Handler } from './objects';
import { body } from './respond';

/** One SOAP service of the local SF1500: its path, namespace and operations. */
export interface ServiceDef {
  /** Lower-case service name as in KOMBIT's endpoint paths. */
  service: string;
  path: string;
  namespace: string;
  handlers: Map<string, Handler>;
  /** The output element answering `inputName`, holding only a StandardRetur (for errors). */
  errorOutput(inputName: string, r: StandardRetur): EnvelopeBody | undefined;
}

function objectServices(): ServiceDef[] {
  return OBJECT_TYPES.map((spec) => ({
    service: spec.service,
    path: `/${spec.system}/${spec.service}/6/`,
    namespace: spec.namespace,
    handlers: objectHandlers(spec),
    errorOutput(inputName, r) {
      const op = OBJECT_OPERATIONS.find((o) => o.input === inputName);
      return op && body(`${spec.prefix}:${op.output}`, rootNamespaces(spec), writeStandardRetur(r));
    },
  }));
}

const systemOutputs: Record<string, string> = {
  FremsoegObjekthierarkiInput: 'FremsoegObjekthierarkiOutput',
  ImporterOrganisationSystemInput: 'ImporterOrganisationSystemOutput',
  AnonymiserInput: 'AnonymiserOutput',
};

export function serviceCatalogue(): ServiceDef[] {
  return [
    ...objectServices(),
    {
      service: 'organisationsystem', path: '/organisation/organisationsystem/6/', namespace: NS.orgsys, handlers: systemHandlers(),
      errorOutput(inputName, r) {
        const out = systemOutputs[inputName];
        if (!out) return undefined;
        const ns = { ...rootNamespaces(), orgsys: NS.orgsys };
        // The hierarchy output requires its six list wrappers even when empty.
        const wrappers = out === 'FremsoegObjekthierarkiOutput' ? HIERARCHY_LISTS.map((l) => el(`orgsys:${l.element}`)) : [];
        return body(`orgsys:${out}`, ns, writeStandardRetur(r), ...wrappers);
      },
    },
    {
      service: 'organisationadministration', path: '/organisation/organisationadministration/6/', namespace: NS.orgadm, handlers: administrationHandlers(),
      errorOutput(inputName, r) {
        return inputName === 'FysiskSletInput' ? body('orgadm:FysiskSletOutput', { ...rootNamespaces(), orgadm: NS.orgadm }, writeStandardRetur(r)) : undefined;
      },
    },
  ];
}
