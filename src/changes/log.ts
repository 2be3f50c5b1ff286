import { randomBytes } from 'node:crypto';
import type { HierarchySnapshot } from '../loaders/snapshot';
import type { Objekt } from '../model/domain';
import { OBJECT_TYPES } from '../model/objects';
import type { ObjectTypeName } from '../model/types';
import type { Sf1500Reader } from '../sf1500/reader';
import { CallRecorder } from '../sf1500/stats';
import { inForce } from '../temporal/rows';
import { toIso } from '../temporal/time';
import { cursorError, type Cursor } from './cursor';
import type { ChangeStore } from './store';
import { compare, summarise } from './summary';
import { keyOf, splitKey, type ChangeEvent, type ChangeState, type ObjectKey, type ObjectSummary } from './types';

/**
 * The change log of one municipality: each new "now" snapshot is compared with the baseline (what the
 * log saw last) and the differences become numbered events; virkning boundaries the baseline shows
 * (a row that ends or starts later) are looked at when they pass, with one List per object type, so a
 * rename dated in the future gives its event then, not at the next refresh. Every change of state goes
 * through one queue and becomes visible only once the store has committed it.
 */

export interface ChangeLogSettings {
  /** Events older than this are dropped (ms). */
  retentionMs: number;
  /** And at most this many are kept. */
  maxEvents: number;
  /** UUIDs per List call (SF1500_BATCH_SIZE). */
  listBatch: number;
}

export type ChangeLogLog = (level: 'info' | 'warn', msg: string, fields: Record<string, unknown>) => void;

export interface ChangePage {
  events: Array<ChangeEvent & { cursor: Cursor }>;
  next: Cursor;
}

/** What the feed costs and how it is doing (bench, /metrics-style figures). */
export interface ChangeLogStats {
  head: number;
  retained: number;
  objects: number;
  /** Snapshots compared, and the last comparison's time (ms). */
  diffs: number;
  lastDiffMs: number;
  /** Boundary looks, and the SOAP calls they made. */
  boundaryRuns: number;
  boundaryCalls: number;
  /** Lists made to learn the future boundaries of changed objects. */
  enrichCalls: number;
}

const MAX_TIMER_MS = 3_600_000; // re-check at least hourly (and stay far below setTimeout's 2^31 limit)

export class ChangeLog {
  private state: ChangeState;
  private queue: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private closed = false;
  private sortedKeys?: ObjectKey[];
  private readonly listeners = new Set<() => void>();
  readonly stats: ChangeLogStats = { head: 0, retained: 0, objects: 0, diffs: 0, lastDiffMs: 0, boundaryRuns: 0, boundaryCalls: 0, enrichCalls: 0 };

  private constructor(
    private readonly store: ChangeStore,
    private readonly reader: Sf1500Reader,
    private readonly settings: ChangeLogSettings,
    private readonly log: ChangeLogLog,
    private readonly clock: () => number,
    state: ChangeState | undefined,
  ) {
    this.state = state ?? { logId: randomBytes(6).toString('hex'), head: 0, events: [] };
    this.counted();
    this.schedule();
  }

  /** Opens the log the store holds (or a new one). */
  static async open(store: ChangeStore, reader: Sf1500Reader, settings: ChangeLogSettings, log: ChangeLogLog, clock: () => number = Date.now): Promise<ChangeLog> {
    return new ChangeLog(store, reader, settings, log, clock, await store.load());
  }

  get logId(): string {
    return this.state.logId;
  }

  get head(): number {
    return this.state.head;
  }

  /** Whether the first snapshot has been taken in (before it, the feed has no baseline and no events). */
  get started(): boolean {
    return this.state.baseline !== undefined;
  }

  /** The hook: a new "now" snapshot replaced the previous one. Queued; never throws. */
  observe(s: HierarchySnapshot): void {
    this.enqueue(() => this.takeIn(s));
  }

  /** Calls `fn` after each commit with events (SSE streams wait on this). Returns the unsubscribe. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Waits for the work queued so far (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.queue;
    for (const fn of this.listeners) fn(); // streams see `closed` and end
    this.listeners.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue = this.queue.then(() => (this.closed ? undefined : job())).catch((e: unknown) => {
      this.log('warn', 'change log: a look at SF1500 failed; the next one retries', { err: e instanceof Error ? e.message : String(e) });
    });
  }

  // ---------- taking in a snapshot ----------


  private async takeIn(s: HierarchySnapshot): Promise<void> {
    const at = s.t.registrering;
    const base = this.state.baseline;
    if (base && at <= base.at) return; // not newer than what the log already compared
    const started = performance.now();
    const yielder = slices();
    const seen = new Map<ObjectKey, ObjectSummary>();
    for (const [type, objs] of s.objects) {
      for (const o of objs.values()) {
        const sum = summarise(type, o, at);
        if (sum) seen.set(keyOf(type, o.uuid), sum);
        await yielder();
      }
    }
    if (!base) {
      // The first look is the baseline: the feed starts here (nothing old is an event).
      await this.append([], { at, objects: seen }, true);
      this.stats.diffs++;
      this.stats.lastDiffMs = performance.now() - started;
      return;
    }
    const objects = new Map(base.objects);
    const events: ChangeEvent[] = [];
    const changed: ObjectKey[] = [];
    for (const k of new Set([...base.objects.keys(), ...seen.keys()])) {
      await yielder();
      const before = base.objects.get(k);
      if (before && before.asOf > at) continue; // a boundary look saw it later than this snapshot
      const after = seen.get(k);
      if (after) objects.set(k, after);
      else objects.delete(k);
      const c = compare(before, after, base.at);
      if (!c) continue;
      const { type, uuid } = splitKey(k);
      const boundary = c.art === 'TRAEDER_I_KRAFT' || c.art === 'OPHOERER';
      events.push(this.event(type, uuid, c.art, after?.reg ?? null, boundary ? (before?.next != null && before.next <= at ? before.next : null) : null, c.felter, at));
      if (after) changed.push(k);
    }
    await this.enrich(objects, changed, at);
    await this.removals(events, base.objects, at);
    this.stats.diffs++;
    this.stats.lastDiffMs = performance.now() - started;
    await this.append(events, { at, objects }, events.length > 0);
  }

  /**
   * A snapshot holds only the rows in virkning now: the end of a row shows, a row that starts later
   * does not. For objects that changed, one List per type (virkning from now on) finds those starts.
   */
  private async enrich(objects: Map<ObjectKey, ObjectSummary>, keys: ObjectKey[], at: number): Promise<void> {
    if (keys.length === 0) return;
    const found = await this.read(keys, at, (n) => { this.stats.enrichCalls += n; });
    for (const k of keys) {
      const o = found.get(k);
      const cur = objects.get(k);
      if (!o || !cur) continue;
      const wider = summarise(splitKey(k).type, o, at, o);
      if (wider) objects.set(k, { ...cur, next: wider.next });
    }
  }

  /**
   * Why objects left the hierarchy, with one List per type: passivated or deleted (FJERNET at that
   * registration, so it sorts where it happened), or still registered as before with every row ended
   * (OPHOERER at the boundary the baseline showed). Unknown to List: FJERNET, time unknown.
   */
  private async removals(events: ChangeEvent[], before: Map<ObjectKey, ObjectSummary>, at: number): Promise<void> {
    const gone = events.filter((e) => e.art === 'FJERNET');
    if (gone.length === 0) return;
    const found = await this.read(gone.map((e) => keyOf(e.type, e.uuid)), at, (n) => { this.stats.enrichCalls += n; });
    for (const e of gone) {
      const k = keyOf(e.type, e.uuid);
      const o = found.get(k);
      const b = before.get(k);
      if (!o || !b) continue;
      if (sameRegistration(o, at, b)) {
        e.art = 'OPHOERER';
        e.registreringTidspunkt = b.reg;
        e.virkningFra = b.next !== null && b.next <= at ? b.next : null;
        e.felter = Object.keys(b.fields).sort();
        continue;
      }
      const reg = inForce(o.registreringer, at)[0]?.tidspunkt;
      if (reg) e.registreringTidspunkt = Date.parse(reg);
    }
  }

  /** The objects behind `keys` with their rows from virkning `at` on (registration in force at `at`). */
  private async read(keys: ObjectKey[], at: number, calls: (n: number) => void): Promise<Map<ObjectKey, Objekt>> {
    const byType = new Map<ObjectTypeName, string[]>();
    for (const k of keys) {
      const { type, uuid } = splitKey(k);
      (byType.get(type) ?? byType.set(type, []).get(type)!).push(uuid);
    }
    const filters = { virkning: { fra: toIso(at), til: null }, registrering: { fra: toIso(at), til: toIso(at) } };
    const out = new Map<ObjectKey, Objekt>();
    const rec = new CallRecorder(undefined, undefined, true);
    for (const [type, uuids] of byType) {
      for (let i = 0; i < uuids.length; i += this.settings.listBatch) {
        const objs = await this.reader.list(type, uuids.slice(i, i + this.settings.listBatch), filters, rec);
        calls(1);
        for (const o of objs) out.set(keyOf(type, o.uuid), o);
      }
    }
    return out;
  }

  // ---------- virkning boundaries ----------

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.closed || !this.state.baseline) return;
    let next = Infinity;
    for (const s of this.state.baseline.objects.values()) if (s.next !== null && s.next < next) next = s.next;
    if (!Number.isFinite(next)) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, next - this.clock()));
    this.timer = setTimeout(() => this.enqueue(() => this.boundaries()), wait);
    this.timer.unref();
  }

  /** Looks at every object whose next boundary has passed: what is in virkning now. */
  private async boundaries(): Promise<void> {
    const base = this.state.baseline;
    if (!base) return;
    const now = this.clock();
    const due = [...base.objects].filter(([, s]) => s.next !== null && s.next <= now).map(([k]) => k);
    if (due.length === 0) return this.schedule();
    this.stats.boundaryRuns++;
    const found = await this.read(due, now, (n) => { this.stats.boundaryCalls += n; });
    const objects = new Map(base.objects);
    const events: ChangeEvent[] = [];
    for (const k of due) {
      const before = base.objects.get(k)!;
      const { type, uuid } = splitKey(k);
      const o = found.get(k);
      const after = o ? summarise(type, o, now, o) : undefined;
      let c = compare(before, after, base.at);
      if (!after && o && sameRegistration(o, now, before)) c = { art: 'OPHOERER', felter: Object.keys(before.fields).sort() }; // every row ended
      if (after) objects.set(k, after);
      else objects.delete(k);
      if (c) events.push(this.event(type, uuid, c.art, after?.reg ?? before.reg, c.art === 'TRAEDER_I_KRAFT' || c.art === 'OPHOERER' ? before.next : null, c.felter, now));
    }
    await this.append(events, { at: base.at, objects }, true);
  }

  // ---------- the log ----------

  private event(type: ObjectTypeName, uuid: string, art: ChangeEvent['art'], reg: number | null, virkningFra: number | null, felter: string[] | null, observedAt: number): ChangeEvent {
    return { seq: 0, type, uuid, art, registreringTidspunkt: reg, virkningFra, felter: felter && (art === 'OPRETTET' || art === 'FJERNET') ? null : felter, observedAt };
  }

  /**
   * Numbers the events (ordered by the time they happened), drops what retention no longer keeps and
   * commits. Without events and without `persist`, only memory moves on: disk keeps the older baseline,
   * against which the next look finds the same (no) events.
   */
  private async append(events: ChangeEvent[], baseline: NonNullable<ChangeState['baseline']>, persist: boolean): Promise<void> {
    const when = (e: ChangeEvent): number => (e.art === 'TRAEDER_I_KRAFT' || e.art === 'OPHOERER' ? e.virkningFra : e.registreringTidspunkt) ?? e.observedAt;
    events.sort((a, b) => when(a) - when(b) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
    const old = this.state;
    let head = old.head;
    for (const e of events) e.seq = ++head;
    const now = this.clock();
    let kept = [...old.events, ...events];
    const cut = kept.findIndex((e) => now - e.observedAt <= this.settings.retentionMs);
    kept = cut < 0 ? [] : kept.slice(cut);
    if (kept.length > this.settings.maxEvents) kept = kept.slice(kept.length - this.settings.maxEvents);
    const next: ChangeState = { logId: old.logId, head, events: kept, baseline };
    if (persist && !(await this.store.commit(next, old.head))) {
      // Another writer (a replica on a shared store) committed first: take its state, drop ours.
      const theirs = await this.store.load();
      if (theirs) this.state = theirs;
      this.log('info', 'change log: another writer committed first', { head: this.state.head });
    } else this.state = next;
    this.sortedKeys = undefined;
    this.counted();
    this.schedule();
    if (events.length > 0) for (const fn of this.listeners) fn();
  }

  private counted(): void {
    this.stats.head = this.state.head;
    this.stats.retained = this.state.events.length;
    this.stats.objects = this.state.baseline?.objects.size ?? 0;
  }

  // ---------- reading ----------

  /** Seq of the oldest event still kept: a cursor before `first - 1` has lost events. */
  private firstKept(): number {
    return this.state.head - this.state.events.length + 1;
  }

  private check(c: Cursor): void {
    if (c.logId !== this.state.logId) throw cursorError('efter', 'the cursor is from another change log (the state was reset); start again with genudsend', 'CURSOR_EXPIRED');
    if (c.seq > this.state.head) throw cursorError('efter', 'the cursor is ahead of this change log; start again with genudsend', 'CURSOR_EXPIRED');
    if (c.seq < this.firstKept() - 1) throw cursorError('efter', 'events after this cursor are no longer kept (retention); start again with genudsend', 'CURSOR_EXPIRED');
  }

  /** Up to `maks` events after `after` (null: none, the newest position), of `types` (empty: all). */
  page(after: Cursor | null, types: readonly ObjectTypeName[], maks: number): ChangePage {
    if (!after) return { events: [], next: { kind: 'feed', logId: this.state.logId, seq: this.state.head } };
    this.check(after);
    if (after.kind === 'replay') return this.replay(after.types, undefined, after.after, after.seq, maks);
    const want = types.length > 0 ? new Set(types) : undefined;
    const out: ChangePage['events'] = [];
    let seq = after.seq;
    for (let i = after.seq - this.firstKept() + 1; i < this.state.events.length && out.length < maks; i++) {
      const e = this.state.events[i];
      seq = e.seq;
      if (!want || want.has(e.type)) out.push({ ...e, cursor: { kind: 'feed', logId: this.state.logId, seq: e.seq } });
    }
    if (out.length < maks) seq = this.state.head;
    return { events: out, next: { kind: 'feed', logId: this.state.logId, seq } };
  }

  /**
   * The current state of the objects of `types` (or of `uuids`) as OPRETTET events, from the baseline,
   * in pages by (type, uuid); the last page's cursor continues with the feed from where the replay began.
   */
  replay(types: readonly ObjectTypeName[], uuids: readonly string[] | undefined, after: string, seq: number, maks: number): ChangePage {
    const base = this.state.baseline;
    const logId = this.state.logId;
    const feed: Cursor = { kind: 'feed', logId, seq };
    if (!base) return { events: [], next: feed };
    const want = types.length > 0 ? new Set<string>(types) : undefined;
    const keys = uuids
      ? [...new Set(uuids.map((u) => u.toLowerCase()))].flatMap((u) => OBJECT_TYPES.map((t) => keyOf(t.name, u)).filter((k) => base.objects.has(k))).sort()
      : (this.sortedKeys ??= [...base.objects.keys()].sort());
    const out: ChangePage['events'] = [];
    let i = after ? lowerBound(keys, after) : 0;
    if (after && keys[i] === after) i++;
    for (; i < keys.length && (uuids || out.length < maks); i++) {
      const { type, uuid } = splitKey(keys[i]);
      if (want && !want.has(type)) continue;
      const s = base.objects.get(keys[i])!;
      out.push({
        seq, type, uuid, art: 'OPRETTET', registreringTidspunkt: s.reg, virkningFra: null, felter: Object.keys(s.fields), observedAt: base.at,
        cursor: { kind: 'replay', logId, seq, types: [...types], after: keys[i] },
      });
    }
    let rest = i;
    while (rest < keys.length && want && !want.has(splitKey(keys[rest]).type)) rest++;
    const done = uuids !== undefined || rest >= keys.length;
    return { events: out, next: done || out.length === 0 ? feed : out[out.length - 1].cursor };
  }
}

function lowerBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether `o`'s registration in force at `at` is the one the summary saw, and not passivated. */
function sameRegistration(o: Objekt, at: number, s: ObjectSummary): boolean {
  const regs = inForce(o.registreringer, at);
  const tid = regs[0]?.tidspunkt ? Date.parse(regs[0].tidspunkt) : null;
  return regs.length > 0 && tid === s.reg && regs.every((r) => r.livscyklus !== 'Passiveret' && r.livscyklus !== 'Slettet');
}

/** Time slice of the comparison before it lets other work run. */
const SLICE_MS = 20;

/**
 * A function to await inside a long loop: it yields the event loop (one macrotask turn) once the current
 * slice has run SLICE_MS. Comparing 57,000 objects in one go held the process for about 2 s, /health included.
 */
function slices(): () => Promise<void> | undefined {
  let start = performance.now();
  let n = 0;
  return () => {
    if ((++n & 255) !== 0 || performance.now() - start < SLICE_MS) return undefined;
    return new Promise<void>((resolve) => setImmediate(() => {
      start = performance.now();
      resolve();
    }));
  };
}
