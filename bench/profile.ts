import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { relative } from 'node:path';

/**
 * CPU profiles: taken in-process through the inspector (the same .cpuprofile format as
 * `node --cpu-prof`), and a small analyser of any .cpuprofile: self time per function, inclusive
 * time of the functions that matter, and self time per area (emulator, XML, codec, GraphQL, ...).
 *
 *   node dist/bench/profile.js some.cpuprofile     # analyse a profile from `node --cpu-prof`
 */

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }
export interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }

export async function profileOnce<T>(fn: () => Promise<T>, intervalUs = 500): Promise<{ profile: CpuProfile; result: T }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<any> => new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res)));
  });
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: intervalUs });
  await post('Profiler.start');
  let result: T | undefined;
  let failure: unknown;
  try {
    result = await fn();
  } catch (e) {
    failure = e;
  }
  const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
  await post('Profiler.disable');
  session.disconnect();
  if (failure !== undefined) throw failure;
  return { profile, result: result as T };
}

export interface ProfileSummary {
  totalMs: number;
  top: Array<{ name: string; where: string; area: string; selfMs: number; pct: number }>;
  areas: Array<{ area: string; selfMs: number; pct: number }>;
  inclusive: Array<{ name: string; where: string; ms: number; pct: number }>;
}

export function areaOf(f: CallFrame): string {
  const u = f.url;
  if (f.functionName === '(garbage collector)') return 'GC';
  if (f.functionName === '(idle)') return 'idle';
  if (f.functionName === '(program)') return 'V8/native (program)';
  if (/src\/emulator\//.test(u)) return 'SF1500 emulator (src/emulator)';
  if (/better-sqlite3/.test(u)) return 'SQLite (better-sqlite3)';
  if (/node_modules\/saxes|node_modules\/xmlchars/.test(u)) return 'saxes (XML tokenizer)';
  if (/src\/xml\//.test(u)) return 'XML reader/writer (src/xml)';
  if (/src\/wire\//.test(u)) return 'OIO codec + envelope (src/wire)';
  if (/src\/sf1500\/mapping\//.test(u)) return 'response mapper (src/sf1500/mapping)';
  if (/src\/wssec\/|src\/sf1500\/idws\//.test(u)) return 'OIO IDWS signing (src/wssec, src/sf1500/idws)';
  if (/src\/sf1500\//.test(u)) return 'SOAP client (src/sf1500)';
  if (/src\/execution\//.test(u)) return 'cost and budget (src/execution)';
  if (/src\/loaders\//.test(u)) return 'loaders + hierarchy (src/loaders)';
  if (/src\/entities\/|src\/resolvers\/|src\/temporal\//.test(u)) return 'resolvers + entities (src)';
  if (/src\/server\//.test(u)) return 'server (src/server)';
  if (/node_modules\/graphql\//.test(u)) return 'graphql-js';
  if (/node_modules\/@apollo\//.test(u)) return 'Apollo';
  if (/node_modules\/dataloader\//.test(u)) return 'DataLoader';
  if (/node_modules\/type-graphql\//.test(u)) return 'type-graphql';
  if (/node_modules\/(undici|autocannon)/.test(u)) return 'HTTP client (bench)';
  if (/bench\//.test(u)) return 'bench';
  if (/^node:|^internal\//.test(u)) return 'Node.js core (http, streams, buffers)';
  if (u === '') return 'V8 builtins (RegExp, JSON, strings, ...)';
  return 'other';
}

function where(f: CallFrame): string {
  if (!f.url) return '';
  const u = f.url.replace(/^file:\/\//, '');
  const r = u.startsWith('/') ? relative(process.cwd(), u) : u;
  return `${r}:${f.lineNumber + 1}`;
}

export function analyse(p: CpuProfile, topN = 20): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  if (samples.length > 0) {
    // a sample's time is the delta to the next sample
    for (let i = 0; i < samples.length; i++) {
      const d = deltas[i + 1] ?? 0;
      selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, d));
    }
  } else {
    const per = (p.endTime - p.startTime) / Math.max(1, p.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0));
    for (const n of p.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * per);
  }
  const key = (f: CallFrame): string => `${f.functionName || '(anonymous)'}\u0000${where(f)}`;
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const busy = total - [...selfUs].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, v]) => a + v, 0);

  const self = new Map<string, { f: CallFrame; us: number }>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    const k = key(f);
    const e = self.get(k) ?? { f, us: 0 };
    e.us += us;
    self.set(k, e);
    const a = areaOf(f);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  // inclusive: every distinct function on the sampled stack gets the sample's time once
  const incl = new Map<string, { f: CallFrame; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const k = key(f);
      if (seen.has(k)) continue;
      seen.add(k);
      const e = incl.get(k) ?? { f, us: 0 };
      e.us += us;
      incl.set(k, e);
    }
  }
  const pct = (us: number): number => (busy > 0 ? (100 * us) / busy : 0);
  const interesting = /^(parseXml|parseEnvelope|readObjekt|readRegistrering|readLists|readRelation|readVirkning|fremsoeg|list|laes|load|HierarchySnapshot|rowsAt|execute|executeOperation|completeValue|writeFiltreret|snapshot|getMany|search|buildEnvelope|handle|post|executeHTTPGraphQLRequest|stringify|queryCost|getComplexity|batchFn|refs|existing)$/;
  return {
    totalMs: busy / 1000,
    top: [...self.values()].filter((e) => e.f.functionName !== '(idle)').sort((a, b) => b.us - a.us).slice(0, topN)
      .map((e) => ({ name: e.f.functionName || '(anonymous)', where: where(e.f), area: areaOf(e.f), selfMs: e.us / 1000, pct: pct(e.us) })),
    areas: [...areas].filter(([a]) => a !== 'idle').sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, selfMs: us / 1000, pct: pct(us) })),
    inclusive: [...incl.values()].filter((e) => interesting.test(e.f.functionName) && e.f.url && !/node:|internal\//.test(e.f.url) && pct(e.us) >= 1)
      .sort((a, b) => b.us - a.us).slice(0, 20)
      .map((e) => ({ name: e.f.functionName, where: where(e.f), ms: e.us / 1000, pct: pct(e.us) })),
  };
}

export function writeProfile(file: string, p: CpuProfile): void {
  writeFileSync(file, JSON.stringify(p));
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node dist/bench/profile.js <file.cpuprofile>');
    process.exit(2);
  }
  const s = analyse(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 30);
  console.log(`busy ${s.totalMs.toFixed(0)} ms`);
  for (const a of s.areas) console.log(`${a.pct.toFixed(1).padStart(5)}%  ${a.selfMs.toFixed(0).padStart(7)} ms  ${a.area}`);
  console.log('');
  for (const t of s.top) console.log(`${t.pct.toFixed(1).padStart(5)}%  ${t.selfMs.toFixed(0).padStart(7)} ms  ${t.name}  ${t.where}`);
  console.log('');
  for (const t of s.inclusive) console.log(`${t.pct.toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(7)} ms  (incl.) ${t.name}  ${t.where}`);
}
