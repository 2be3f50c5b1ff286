import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './log';
import { asListenError, checkPorts, exitOnStartupFailure, makeDbDirectory, SF1500_PORT_HINT, StartupError, SUBGRAPH_PORT_HINT, type PortUse } from './preflight';
import { startStack } from './stack';

const PROGRAM = 'sf1500-subgraph';

/** The ports `npm start` binds: the subgraph's, and the local SF1500's unless SF1500_BASE_URL is set. */
function portsOf(config: Config): PortUse[] {
  const uses: PortUse[] = [{ variable: 'PORT', host: config.host, port: config.port, hint: SUBGRAPH_PORT_HINT }];
  if (!config.sf1500BaseUrl) uses.push({ variable: 'SF1500_PORT', host: config.local.host, port: config.local.port, hint: SF1500_PORT_HINT });
  // SF1500_SECURITY=idws against the local SF1500 also starts the local STS.
  if (!config.sf1500BaseUrl && config.security.idws) {
    uses.push({ variable: 'SF1500_STS_PORT', host: '127.0.0.1', port: config.security.idws.stsPort, hint: 'another npm start with SF1500_SECURITY=idws may be running; stop it or set SF1500_STS_PORT to a free port' });
  }
  return uses;
}

/** `npm start`: the local SF1500 with its demo municipality (unless SF1500_BASE_URL is set) and the subgraph. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    throw e instanceof ConfigError ? new StartupError(e.problems.join('\n')) : e;
  }
  // Before anything starts: a second `npm start` must not open and seed the database only to fail on a port.
  const ports = portsOf(config);
  await checkPorts(ports);
  if (!config.sf1500BaseUrl) makeDbDirectory(config.local.dbFile);
  const logger = createLogger(config.logLevel, config.logFormat);
  const stack = await startStack(config, logger).catch((e: unknown) => {
    throw asListenError(e, ports) ?? e;
  });
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

main().catch((e: unknown) => exitOnStartupFailure(PROGRAM, e));
