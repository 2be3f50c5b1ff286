import type { Store } from '../store/types';

export interface ServiceOptions {
  /** Maximum UUIDs in one List call. */
  maxListUuids: number;
  /** Default and maximum Soeg / FremsoegObjekthierarki page sizes. */
  defaultPageSize: number;
  maxPageSize: number;
  /**
   * Most rows in one list (attributes, states, relations) of a stored registration, and in one Ret's
   * input: a write's CPU cost grows with both, and one request must not hold the service for seconds.
   */
  maxRowsPerList: number;
  maxRetRowsPerList: number;
}

export const DEFAULT_SERVICE_OPTIONS: ServiceOptions = { maxListUuids: 1000, defaultPageSize: 500, maxPageSize: 1000, maxRowsPerList: 10_000, maxRetRowsPerList: 1000 };

/** What every operation needs: the store, the clock (injectable for tests), limits. */
export interface ServiceContext {
  store: Store;
  now: () => number;
  options: ServiceOptions;
}
