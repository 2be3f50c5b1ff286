import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { subgraphSchema } from '../schema';
import type { HierarchyCache } from '../loaders';
import type { Sf1500Reader } from '../sf1500/reader';
import { instrumentBudget } from '../execution/budget';
import type { ChangeLog } from '../changes';
import { organisationHentHandler } from '../organisationhent/http';
import { Metrics } from './metrics';
import { Authenticator } from './auth';
import { webRoutes } from './web';
import { createTenants } from './tenants';
import { startApollo } from './apollo';
import { readiness, requestHandler } from './handler';
import { closeServer, httpServer, listen } from './listen';

export { formatError, MAX_OPERATION_LABELS } from './apollo';
export { READY_CACHE_MS } from './handler';

export interface Subgraph {
  url: string;
  server: Server;
  metrics: Metrics;
  hierarchy: HierarchyCache;
  /** The change feed's log, when the feed is on. */
  changes?: ChangeLog;
  close(): Promise<void>;
}

/**
 * Starts the subgraph HTTP server: /graphql (Apollo), /health, /ready, /metrics, OrganisationHent, the
 * web pages and the change stream. In phases, each in its own module: the schema, the per-municipality
 * dependencies (tenants.ts), Apollo with its plugins (apollo.ts), the request handler (handler.ts), and
 * the HTTP server's lifecycle (listen.ts).
 */
export async function startSubgraph(config: Config, client: Sf1500Reader, logger: Logger, metrics = new Metrics()): Promise<Subgraph> {
  const schema = instrumentBudget((await subgraphSchema()).schema);
  const auth = await Authenticator.create(config);
  const tenants = await createTenants(config, client, logger);
  const { hierarchy, objectCache, changes, depsFor } = tenants;
  // KOMBIT's OrganisationHent API at its own path, on the same loaders, caches and limits.
  const organisationHent = organisationHentHandler({ config, depsFor, auth, logger, metrics });
  const apollo = await startApollo({ config, schema, logger, metrics });
  const handle = requestHandler({
    config, apollo, auth, metrics, depsFor, organisationHent,
    ready: readiness(config, client),
    caches: { objects: objectCache, hierarchy },
    web: webRoutes(config),
  });
  const server = httpServer(config, handle, logger);
  await tenants.restored;
  const port = await listen(server, config);
  return {
    url: `http://${config.host}:${port}/graphql`,
    server, metrics, hierarchy, changes: changes?.log,
    close: async () => {
      await changes?.close(); // ends the event streams, which would hold the server open
      await closeServer(server);
      await apollo.stop();
      await tenants.close();
    },
  };
}
