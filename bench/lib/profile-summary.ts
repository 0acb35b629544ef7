/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function, and total
 * (inclusive) time per function, as shares of the whole. Used to write the profile section of
 * docs/performance.md.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  hitCount?: number;
}

export function summarise(file: string, top = 25): string {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: Node) => {
    const url = n.callFrame.url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\/.*?\/packages\//, '');
    return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const byPart = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  let idle = 0;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') {
      idle += dt;
      return;
    }
    all += dt;
    self.set(label(n), (self.get(label(n)) ?? 0) + dt);
    const part = partOf(n, (id) => byId.get(parent.get(id) ?? -1));
    byPart.set(part, (byPart.get(part) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
  });
  const fmt = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `busy ${(all / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms\n\nby part (self time):\n${fmt(byPart)}\n\nself:\n${fmt(self)}\n\ntotal:\n${fmt(total)}`;
}

/**
 * The component a sample's time belongs to, from its leaf frame; a native leaf (no URL) counts
 * for the nearest JavaScript caller, so SQLite's C code is charged to the SQLite driver.
 */
function partOf(leaf: Node, up: (id: number) => Node | undefined): string {
  let n: Node | undefined = leaf;
  while (n && !n.callFrame.url && n.callFrame.functionName !== '(garbage collector)') n = up(n.id);
  if (!n) return 'native (other)';
  const { url, functionName } = n.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  const rules: [RegExp, string][] = [
    [/sqlite-driver|better-sqlite3/, 'SQLite (driver + engine)'],
    [/node_modules\/pg/, 'PostgreSQL client (pg)'],
    [/kysely/, 'Kysely (query building)'],
    [/@hono\/node-server/, 'Hono node adapter'],
    [/hono/, 'Hono (routing, middleware)'],
    [/@simplewebauthn/, '@simplewebauthn'],
    [/jose/, 'jose'],
    [/zod/, 'zod (parameter checks)'],
    [/node:internal\/crypto|node:crypto/, 'node:crypto'],
    [/_http|node:net|node:internal\/streams|stream_base|node:events/, 'node HTTP + sockets'],
    [/undici|webstreams|abort_controller|node:internal\/url/, 'Fetch API objects (Request/Response)'],
    [/node:internal\/modules|cjs-module-lexer/, 'module loading (start-up)'],
    [/server\/(dist|src)/, 'Latchkey server code'],
    [/bench\/|test\/support/, 'load driver (client side)'],
  ];
  for (const [re, name] of rules) if (re.test(url)) return name;
  return url.startsWith('node:') ? 'node (other)' : 'other';
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  console.log(summarise(process.argv[2]!, Number(process.argv[3] ?? 25)));
}
