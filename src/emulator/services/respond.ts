import type { StandardRetur } from '../../model/domain';
import { rootNamespaces, writeStandardRetur } from '../../wire/codec';
import type { EnvelopeBody } from '../../wire/envelope';
import type { ObjectTypeSpec } from '../../model/types';

/** Status codes (SPEC §10, plus 50 for our own failures). */
export const STATUS = { OK: 20, INVALID: 40, NOT_FOUND: 44, CONFLICT: 49, INTERNAL: 50 } as const;

export const ok = (): StandardRetur => ({ statusKode: STATUS.OK, fejlbeskedTekst: 'OK' });
export const retur = (statusKode: number, fejlbeskedTekst: string): StandardRetur => ({ statusKode, fejlbeskedTekst });

export function body(qname: string, namespaces: Record<string, string>, ...content: string[]): EnvelopeBody {
  return { qname, namespaces, content: content.join('') };
}

/** An output element of an object service: StandardRetur followed by `rest`. */
export function objectOutput(spec: ObjectTypeSpec, element: string, r: StandardRetur, ...rest: string[]): EnvelopeBody {
  return body(`${spec.prefix}:${element}`, rootNamespaces(spec), writeStandardRetur(r), ...rest);
}
