import type { Logger } from 'pino';
import type { HierarchyPage, ReadFilters, Sf1500Reader } from '../sf1500/reader';
import type { CallRecorder } from '../sf1500/stats';

/** How often a long hierarchy load reports its progress. */
export const PROGRESS_EVERY_MS = 2000;

interface Load {
  started: number;
  pages: number;
  objects: number;
  bytes: number;
  lastLine: number;
  /** Offsets asked for and not yet answered. */
  pending: Set<number>;
  /** The lowest offset that answered short lists (the end). */
  shortAt: number;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

/**
 * The reader with log lines for hierarchy loads (`fremsoegobjekthierarki`, paged): a large
 * municipality's first org chart waits seconds for it, and the log should say so rather than stay
 * silent. A load is the pages from offset 0 of one time filter; it ends with a page whose lists are
 * all short. The first load logs at info (progress every PROGRESS_EVERY_MS, then the total), later
 * ones (refreshes, pinned registrering times) at debug.
 */
export function withHierarchyProgress(reader: Sf1500Reader, logger: Logger, now: () => number = Date.now): Sf1500Reader {
  const loads = new Map<string, Load>();
  let firstDone = false;
  return {
    list: (...a) => reader.list(...a),
    laes: (...a) => reader.laes(...a),
    soeg: (...a) => reader.soeg(...a),
    async fremsoeg(page: { offset: number; limit: number }, f?: ReadFilters, rec?: CallRecorder): Promise<HierarchyPage> {
      const key = JSON.stringify(f ?? null);
      if (page.offset === 0) {
        loads.set(key, { started: now(), pages: 0, objects: 0, bytes: 0, lastLine: now(), pending: new Set(), shortAt: Infinity });
        (firstDone ? logger.debug : logger.info).call(logger, { pageSize: page.limit }, 'loading the hierarchy snapshot (all units, functions and users; the first org-chart request waits for it)');
      }
      const load = loads.get(key);
      load?.pending.add(page.offset);
      let result: HierarchyPage;
      try {
        result = await reader.fremsoeg(page, f, rec);
      } catch (e) {
        // A failed page ends the load (the cache retries from offset 0).
        if (loads.get(key) === load) loads.delete(key);
        throw e;
      }
      if (!load || loads.get(key) !== load) return result;
      load.pending.delete(page.offset);
      load.pages++;
      load.bytes += result.bytes;
      let short = true;
      for (const objs of result.lists.values()) {
        load.objects += objs.length;
        if (objs.length >= page.limit) short = false;
      }
      if (short) load.shortAt = Math.min(load.shortAt, page.offset);
      const t = now();
      const level = firstDone ? 'debug' : 'info';
      // Pages are pipelined: the load is complete when a short page has come and every page before it.
      if (load.shortAt < Infinity && ![...load.pending].some((o) => o < load.shortAt)) {
        loads.delete(key);
        logger[level]({ pages: load.pages, objects: load.objects, xml: mb(load.bytes), ms: t - load.started }, 'hierarchy snapshot loaded');
        firstDone = true;
      } else if (t - load.lastLine >= PROGRESS_EVERY_MS) {
        load.lastLine = t;
        logger[level]({ pages: load.pages, objects: load.objects, xml: mb(load.bytes), ms: t - load.started }, 'loading the hierarchy snapshot');
      }
      return result;
    },
  };
}
