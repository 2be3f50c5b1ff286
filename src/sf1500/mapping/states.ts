/**
 * The mapper's states, one per element it reads. Containers are below LEAF; leaves (text captured)
 * are LEAF and above. The envelope's states come first, so `<= S_STANDARDRETUR` and `<= L_FEJLBESKED`
 * tell the envelope's part of the machine from the object content's.
 */

// containers: envelope
export const S_DOC = 1;
export const S_ENVELOPE = 2;
export const S_HEADER = 3;
export const S_REQUESTHEADER = 4;
export const S_BODY = 5;
export const S_FAULT = 6;
export const S_FAULT_CODE = 7;
export const S_FAULT_REASON = 8;
export const S_OUT = 9;
export const S_OUT_DEAD = 10;
export const S_STANDARDRETUR = 11;
// containers: object content
export const S_HLIST = 12;
export const S_ITEM = 13;
export const S_OBJEKTTYPE = 14;
export const S_REG = 15;
export const S_AL = 16;
export const S_EGENSKAB = 17;
export const S_STRUCTURED = 18;
export const S_TL = 19;
export const S_TILSTAND = 20;
export const S_RL = 21;
export const S_RELATION = 22;
export const S_VIRKNING = 23;
export const S_TIDSPUNKT = 24;
export const S_UNIKID = 25;

export const LEAF = 100;
// leaves: envelope
export const L_TXUUID = 100;
export const L_FAULT_CODE_VALUE = 101;
export const L_FAULT_VALUE = 102;
export const L_FAULT_REASON_TEXT = 103;
export const L_FAULT_TEXT = 104;
export const L_STATUSKODE = 105;
export const L_FEJLBESKED = 106;
// leaves: object content
export const L_OT_UUID = 107;
export const L_ITEM_UUID = 108;
export const L_REG_NOTE = 109;
export const L_REG_TIDSPUNKT = 110;
export const L_REG_LIVSCYKLUS = 111;
export const L_ATTR = 112;
export const L_STRUCTURED_CHILD = 113;
export const L_STATE_VALUE = 114;
export const L_INDEKS = 115;
export const L_AKTOERTYPE = 116;
export const L_VIRK_NOTE = 117;
export const L_TIDSSTEMPEL = 118;
export const L_GRAENSE = 119;
export const L_UUID = 120;
export const L_URN = 121;
export const L_LABEL = 122;

/** "First child wins": claims `bit` of a record's `seen` mask; false when an earlier sibling took it. */
export function first(r: { seen: number }, bit: number): boolean {
  if ((r.seen & bit) !== 0) return false;
  r.seen |= bit;
  return true;
}
