import { ConfigError, loadConfig, type Config } from '../config';
import { createLogger } from '../log';
import { asListenError, checkPorts, dbStartupError, exitOnStartupFailure, makeDbDirectory, seedLogging, SF1500_PORT_HINT, StartupError, type PortUse } from '../preflight';
import { redactDb, startSf1500 } from './index';
import { seedFor } from './seed/presets';

/**
 * `npm run sf1500`: the local SF1500 alone, with the settings and log lines of `npm start`:
 * SF1500_PORT (default 4010), SF1500_HOST, SF1500_DB (default ./data/sf1500.db, ':memory:' for none, postgres://… for PostgreSQL),
 * SF1500_SEED (see presets.ts), SF1500_BASIC_AUTH, LOG_LEVEL, LOG_FORMAT.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    throw e instanceof ConfigError ? new StartupError(e.problems.join('\n')) : e;
  }
  const { port, host, dbFile, seed: seedName, basicAuth } = config.local;
  const ports: PortUse[] = [{ variable: 'SF1500_PORT', host, port, hint: SF1500_PORT_HINT }];
  await checkPorts(ports);
  makeDbDirectory(dbFile);
  const logger = createLogger(config.logLevel, config.logFormat);
  const started = Date.now();
  const seeding = seedLogging(logger, dbFile);
  const running = await startSf1500({ port, host, dbFile, http: { basicAuth }, seed: seedFor(seedName, seeding.announce), seedProgress: seeding.progress })
    .catch((e: unknown) => {
      throw asListenError(e, ports) ?? dbStartupError(e, dbFile);
    });
  logger.info({ url: running.url, db: redactDb(dbFile), seeded: running.seeded, ms: Date.now() - started }, 'local SF1500 started');
  let closing = false;
  const stop = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => exitOnStartupFailure('sf1500 (local SF1500)', e));
