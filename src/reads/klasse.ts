import type { GraphQLContext } from '../context';
import { attributeAt, atInstant, latest, rowsAt, type Rows, type TimeContext } from '../temporal';

/**
 * Reads of classification classes (SF1514 Klasse) and of an object's state, shared by the
 * federation schema and the OrganisationHent endpoint: a title or key is one batched List of Klasse
 * per time slice, however many fields ask.
 */

async function klasseAttribute(ctx: GraphQLContext, uuid: string | null | undefined, t: TimeContext, element: string): Promise<string | null> {
  if (!uuid) return null;
  const it = atInstant(t);
  const o = await ctx.loaders.at('Klasse', it).load(uuid);
  const v = o ? attributeAt(rowsAt(o, it), element) : undefined;
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] ?? null : null;
}

/** The Klasse's TitelTekst ("Postadresse", "Enhedsrolle", a KLE title), or null when unknown. */
export const klasseTitel = (ctx: GraphQLContext, uuid: string | null | undefined, t: TimeContext): Promise<string | null> =>
  klasseAttribute(ctx, uuid, t, 'TitelTekst');

/** The Klasse's BrugervendtNoegleTekst: for a KLE class its number ("32.03"). */
export const klasseNoegle = (ctx: GraphQLContext, uuid: string | null | undefined, t: TimeContext): Promise<string | null> =>
  klasseAttribute(ctx, uuid, t, 'BrugervendtNoegleTekst');

/** The Gyldighed row in force (Aktiv/Inaktiv with its virkning), if any. */
export function gyldighedRow(rows: Rows): Rows['tilstande'][number] | undefined {
  return latest(rows.tilstande);
}
