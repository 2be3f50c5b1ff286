import type { Livscyklus, ObjectTypeName } from '../../model';
import type { SqliteStore } from './sqlite';
import type { SoegQuery, Store, StoredObjekt, StoreTx } from './types';

/**
 * The services' {@link Store} over the synchronous {@link SqliteStore}. Every call still runs to completion
 * synchronously; only the answer is a promise. One connection serves the process, so transactions are queued
 * (one at a time, FIFO), and a read outside a transaction waits while one is open: it must not see that
 * transaction's uncommitted writes on the shared connection. Uncontended (the usual case: a transaction's
 * function awaits only these resolved promises), nothing waits.
 */
export class SqliteAsyncStore implements Store {
  /** Resolves when the last queued transaction has ended. */
  private tail: Promise<void> = Promise.resolve();
  private open = false;
  private readonly tx: StoreTx;

  constructor(readonly sqlite: SqliteStore) {
    const s = sqlite;
    this.tx = {
      get: async (type, uuid) => s.get(type, uuid),
      getMany: async (type, uuids) => s.getMany(type, uuids),
      search: async (q) => s.search(q),
      listUuids: async (type, at, offset, limit, excluded) => s.listUuids(type, at, offset, limit, excluded),
      findByRelation: async (type, relation, ref, at) => s.findByRelation(type, relation, ref, at),
      count: async (type) => s.count(type),
      // One connection, one transaction at a time: holding the transaction is holding every object's lock.
      lock: async () => undefined,
      appendRegistrering: async (type, uuid, reg, at) => s.appendRegistrering(type, uuid, reg, at),
      appendMany: async (items) => {
        for (const it of items) s.appendRegistrering(it.type, it.uuid, it.registrering, it.at);
      },
      rewriteRegistrering: async (type, id, reg) => s.rewriteRegistrering(type, id, reg),
      physicalDelete: async (type, uuid) => s.physicalDelete(type, uuid),
    };
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const before = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((resolve) => {
      done = resolve;
    });
    await before;
    this.open = true;
    try {
      this.sqlite.begin();
      const out = await fn(this.tx);
      this.sqlite.commit();
      return out;
    } catch (e) {
      this.sqlite.rollback();
      throw e;
    } finally {
      this.open = false;
      done();
    }
  }

  /** Waits until no transaction is open; the caller then runs its read synchronously, in the same tick. */
  private async idle(): Promise<void> {
    while (this.open) await this.tail;
  }

  async get(type: ObjectTypeName, uuid: string): Promise<StoredObjekt | undefined> {
    if (this.open) await this.idle();
    return this.sqlite.get(type, uuid);
  }

  async getMany(type: ObjectTypeName, uuids: readonly string[]): Promise<Map<string, StoredObjekt>> {
    if (this.open) await this.idle();
    return this.sqlite.getMany(type, uuids);
  }

  async search(q: SoegQuery): Promise<{ uuids: string[]; total: number }> {
    if (this.open) await this.idle();
    return this.sqlite.search(q);
  }

  async listUuids(type: ObjectTypeName, registreringAt: number, offset: number, limit: number, excludeLivscyklus?: Livscyklus[]): Promise<string[]> {
    if (this.open) await this.idle();
    return this.sqlite.listUuids(type, registreringAt, offset, limit, excludeLivscyklus);
  }

  async findByRelation(type: ObjectTypeName, relation: string, ref: string, registreringAt: number): Promise<string[]> {
    if (this.open) await this.idle();
    return this.sqlite.findByRelation(type, relation, ref, registreringAt);
  }

  async count(type: ObjectTypeName): Promise<number> {
    if (this.open) await this.idle();
    return this.sqlite.count(type);
  }

  async close(): Promise<void> {
    await this.tail;
    this.sqlite.close();
  }
}
