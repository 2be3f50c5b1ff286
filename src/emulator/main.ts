import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isPostgresUrl, redactDb, startSf1500 } from './index';
import { seedFor } from './seed/presets';

/**
 * `npm run sf1500`: the local SF1500 alone. SF1500_PORT (default 4010), SF1500_DB (default
 * ./data/sf1500.db, ':memory:' for none, postgres://… for PostgreSQL), SF1500_SEED (see presets.ts), SF1500_BASIC_AUTH.
 */
async function main(): Promise<void> {
  const portText = process.env.SF1500_PORT ?? '4010';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SF1500_PORT=${portText}: must be a port number`);
  const dbFile = process.env.SF1500_DB ?? './data/sf1500.db';
  if (dbFile !== ':memory:' && !isPostgresUrl(dbFile)) mkdirSync(dirname(dbFile), { recursive: true });
  const running = await startSf1500({
    port, host: process.env.SF1500_HOST ?? '127.0.0.1', dbFile, seed: seedFor(process.env.SF1500_SEED ?? 'korsbaek'),
    http: { basicAuth: process.env.SF1500_BASIC_AUTH || undefined },
  });
  process.stdout.write(`${JSON.stringify({ msg: 'local SF1500 listening', url: running.url, db: redactDb(dbFile), seeded: running.seeded })}\n`);
  const stop = (): void => {
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`failed to start the local SF1500: ${(e as Error).message}\n`);
  process.exit(1);
});
