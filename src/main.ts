import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import { isPostgresUrl } from './emulator';
import { startStack } from './stack';

/** `npm start`: the local SF1500 with its demo municipality (unless SF1500_BASE_URL is set) and the subgraph. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = pino({ level: config.logLevel });
  if (!config.sf1500BaseUrl && config.local.dbFile !== ':memory:' && !isPostgresUrl(config.local.dbFile)) mkdirSync(dirname(config.local.dbFile), { recursive: true });
  const stack = await startStack(config, logger);
  let closing = false;
  const shutdown = (signal: string): void => {
    // A second signal (npm and a process manager both forward one) must not close twice and exit 1.
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    stack.close().then(() => process.exit(0), () => process.exit(1));
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`failed to start: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
