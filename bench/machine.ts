import { execSync } from 'node:child_process';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** The machine a run measured on: core.ts records it at the end of a run, report.ts prints it (its own file: no cycle between them). */
export function machine(): Record<string, string> {
  const sh = (c: string): string => { try { return execSync(c, { encoding: 'utf8' }).trim(); } catch { return '?'; } };
  return {
    nproc: sh('nproc'),
    cpu: cpus()[0]?.model ?? '?',
    ram: `${(totalmem() / 2 ** 30).toFixed(1)} GiB (free at the end: ${(freemem() / 2 ** 30).toFixed(1)} GiB)`,
    node: process.version,
    os: sh('uname -sr'),
    load: loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}
