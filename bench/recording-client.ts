import type { Sf1500Client } from '../src/sf1500/client';
import type { HierarchyPage, ReadFilters, Sf1500Reader, SoegCriteria } from '../src/sf1500/reader';
import type { Objekt } from '../src/model/domain';
import type { ObjectTypeName } from '../src/model/types';
import type { CallRecorder } from '../src/sf1500/stats';

/**
 * A reader around the project's SOAP client, recording the read calls it is asked to make (while recording is on)
 * so the benchmark can replay exactly those calls afterwards, straight through the client, to get
 * the floor: the time the SOAP work alone takes, with no GraphQL around it.
 */

export type RecordedCall =
  | { method: 'list'; type: ObjectTypeName; uuids: readonly string[]; f?: ReadFilters }
  | { method: 'laes'; type: ObjectTypeName; uuid: string; f?: ReadFilters }
  | { method: 'soeg'; type: ObjectTypeName; criteria: SoegCriteria; page: { offset: number; limit: number }; f?: ReadFilters }
  | { method: 'fremsoeg'; page: { offset: number; limit: number }; f?: ReadFilters };

export class RecordingClient implements Sf1500Reader {
  private recording?: RecordedCall[];
  /** Calls in flight (to wait until a load test's abandoned requests have finished). */
  inFlight = 0;
  private lastSettled = 0;

  constructor(readonly client: Sf1500Client) {}

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight++;
    return p.finally(() => {
      this.inFlight--;
      this.lastSettled = performance.now();
    });
  }

  /** Resolves once no call has been in flight for `quietMs` (or after `maxMs`); returns the wait in ms. */
  async idle(quietMs = 1000, maxMs = 300_000): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < maxMs) {
      if (this.inFlight === 0 && performance.now() - this.lastSettled >= quietMs) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return performance.now() - started;
  }

  startRecording(): void {
    this.recording = [];
  }

  stopRecording(): RecordedCall[] {
    const r = this.recording ?? [];
    this.recording = undefined;
    return r;
  }

  list(type: ObjectTypeName, uuids: readonly string[], f?: ReadFilters, rec?: CallRecorder): Promise<Objekt[]> {
    if (!rec?.background) this.recording?.push({ method: 'list', type, uuids: [...uuids], f });
    return this.track(this.client.list(type, uuids, f, rec));
  }

  laes(type: ObjectTypeName, uuid: string, f?: ReadFilters, rec?: CallRecorder): Promise<Objekt | null> {
    if (!rec?.background) this.recording?.push({ method: 'laes', type, uuid, f });
    return this.track(this.client.laes(type, uuid, f, rec));
  }

  soeg(type: ObjectTypeName, criteria: SoegCriteria, page: { offset: number; limit: number }, f?: ReadFilters, rec?: CallRecorder): Promise<string[]> {
    if (!rec?.background) this.recording?.push({ method: 'soeg', type, criteria, page, f });
    return this.track(this.client.soeg(type, criteria, page, f, rec));
  }

  fremsoeg(page: { offset: number; limit: number }, f?: ReadFilters, rec?: CallRecorder): Promise<HierarchyPage> {
    if (!rec?.background) this.recording?.push({ method: 'fremsoeg', page, f });
    return this.track(this.client.fremsoeg(page, f, rec));
  }

  close(): void {
    this.client.close();
  }

  /** Makes one recorded call again (not recorded), returning its wall time in ms. */
  async replay(c: RecordedCall): Promise<number> {
    const started = performance.now();
    switch (c.method) {
      case 'list': await this.client.list(c.type, c.uuids, c.f); break;
      case 'laes': await this.client.laes(c.type, c.uuid, c.f); break;
      case 'soeg': await this.client.soeg(c.type, c.criteria, c.page, c.f); break;
      case 'fremsoeg': await this.client.fremsoeg(c.page, c.f); break;
    }
    return performance.now() - started;
  }
}

/**
 * A key for "the same call": request-time instants ("now", which differ by milliseconds from run
 * to run) are folded to NOW, so a replayed hierarchy page of one query serves for the next.
 */
export function callSignature(c: RecordedCall, now = Date.now()): string {
  const t = (s: string | null | undefined): string => {
    if (!s) return '∞';
    const ms = Date.parse(s);
    return Math.abs(now - ms) < 3_600_000 ? 'NOW' : s;
  };
  const f = c.f ? `${t(c.f.virkning?.fra)}/${t(c.f.virkning?.til)}@${t(c.f.registrering?.fra)}` : '';
  switch (c.method) {
    case 'list': return `list:${c.type}:${[...c.uuids].sort().join(',')}:${f}`;
    case 'laes': return `laes:${c.type}:${c.uuid}:${f}`;
    case 'soeg': return `soeg:${c.type}:${JSON.stringify(c.criteria)}:${c.page.offset}+${c.page.limit}:${f}`;
    case 'fremsoeg': return `fremsoeg:${c.page.offset}+${c.page.limit}:${f}`;
  }
}
