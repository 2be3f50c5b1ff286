import pino, { type Logger } from 'pino';

/**
 * The one logger of `npm start` and `npm run sf1500`: pino's JSON lines for machines (a pipe, a file,
 * a log collector), or one readable line per entry for a person at a terminal. Same fields either way.
 */

export type LogFormat = 'auto' | 'pretty' | 'json';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLOURS: Record<number, string> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '31' };
/** pino's own fields, shown in the line's head or not at all. */
const OWN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v']);

const value = (v: unknown): string => {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (v !== null && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') return JSON.stringify((v as { message: string }).message);
  return JSON.stringify(v);
};

/** One pino JSON line as `HH:MM:SS LEVEL message key=value ...` (local time). */
export function prettyLine(json: string, colour = false): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = typeof o.level === 'number' ? o.level : 30;
  const time = typeof o.time === 'number' ? new Date(o.time).toTimeString().slice(0, 8) : '';
  const name = (LEVELS[level] ?? String(level)).padEnd(5);
  const head = colour ? `\x1b[${COLOURS[level] ?? '0'}m${name}\x1b[0m` : name;
  const rest = Object.entries(o).filter(([k]) => !OWN.has(k)).map(([k, v]) => `${k}=${value(v)}`);
  return `${time} ${head} ${String(o.msg ?? '')}${rest.length ? `  ${rest.join(' ')}` : ''}\n`;
}

/** Pretty when asked, or on `auto` when stdout is a terminal. */
export function wantsPretty(format: LogFormat, isTTY: boolean | undefined): boolean {
  return format === 'pretty' || (format === 'auto' && isTTY === true);
}

/** A pino logger on stdout in the chosen format. */
export function createLogger(level: string, format: LogFormat = 'auto', out: NodeJS.WriteStream = process.stdout): Logger {
  if (!wantsPretty(format, out.isTTY)) return out === process.stdout ? pino({ level }) : pino({ level }, out);
  const colour = out.isTTY === true && !process.env.NO_COLOR;
  // Synchronous writes, as pino's default destination does: a line logged just before exit is not lost.
  return pino({ level }, { write: (line: string) => { out.write(prettyLine(line, colour)); } });
}
