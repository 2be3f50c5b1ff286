import { NS } from '../../model/namespaces';
import { HIERARCHY_LISTS, OBJECT_OPERATIONS, OBJECT_TYPES } from '../../model/objects';
import { ORGANISATION_ADMINISTRATION, ORGANISATION_SYSTEM, servicePath, type SystemServiceSpec } from '../../model/services';
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
    path: `/${servicePath(spec.system, spec.service)}`,
    namespace: spec.namespace,
    handlers: objectHandlers(spec),
    errorOutput(inputName, r) {
      const op = OBJECT_OPERATIONS.find((o) => o.input === inputName);
      return op && body(`${spec.prefix}:${op.output}`, rootNamespaces(spec), writeStandardRetur(r));
    },
  }));
}

/** The output element answering an input element of a system service. */
const outputFor = (s: SystemServiceSpec, inputName: string): string | undefined => s.operations.find((o) => o.input === inputName)?.output;

export function serviceCatalogue(): ServiceDef[] {
  return [
    ...objectServices(),
    {
      service: ORGANISATION_SYSTEM.service, path: `/${servicePath(ORGANISATION_SYSTEM.system, ORGANISATION_SYSTEM.service)}`, namespace: NS.orgsys, handlers: systemHandlers(),
      errorOutput(inputName, r) {
        const out = outputFor(ORGANISATION_SYSTEM, inputName);
        if (!out) return undefined;
        const ns = { ...rootNamespaces(), orgsys: NS.orgsys };
        // The hierarchy output requires its six list wrappers even when empty.
        const wrappers = out === 'FremsoegObjekthierarkiOutput' ? HIERARCHY_LISTS.map((l) => el(`orgsys:${l.element}`)) : [];
        return body(`orgsys:${out}`, ns, writeStandardRetur(r), ...wrappers);
      },
    },
    {
      service: ORGANISATION_ADMINISTRATION.service, path: `/${servicePath(ORGANISATION_ADMINISTRATION.system, ORGANISATION_ADMINISTRATION.service)}`, namespace: NS.orgadm, handlers: administrationHandlers(),
      errorOutput(inputName, r) {
        const out = outputFor(ORGANISATION_ADMINISTRATION, inputName);
        return out ? body(`orgadm:${out}`, { ...rootNamespaces(), orgadm: NS.orgadm }, writeStandardRetur(r)) : undefined;
      },
    },
  ];
}
