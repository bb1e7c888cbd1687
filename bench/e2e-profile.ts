/**
 * Drives the gateway's CPU profiler (e2e-profiler-preload.ts) and summarises the profile: self
 * time per function and per package or source folder, the hot spots of the measured phase.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const profileFile = (pid: number) => join(tmpdir(), `bench-e2e-gateway-${pid}.cpuprofile`);

export function startProfiling(pid: number): void {
  rmSync(profileFile(pid), { force: true });
  process.kill(pid, 'SIGWINCH');
}

/** Stops the profiler, waits for its file and returns the hot spots as printable lines. */
export async function stopProfiling(pid: number, top = 25): Promise<string> {
  try {
    process.kill(pid, 'SIGWINCH');
  } catch (error) {
    return `profile: the gateway process is gone (${String(error)})`;
  }
  const file = profileFile(pid);
  const deadline = Date.now() + 30_000;
  while (!existsSync(file) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!existsSync(file)) return 'profile: no profile written';
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
  };
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const durationMs = (profile.endTime - profile.startTime) / 1000;
  const share = (hits: number) => `${((hits / totalHits) * 100).toFixed(1)} %`;
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = shortUrl(url);
    const fn = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `gateway CPU profile (${(durationMs / 1000).toFixed(1)} s, ${totalHits} samples; saved as ${file})`,
    'self time by area:',
    ...sorted(byArea).map(([area, hits]) => `  ${share(hits).padStart(7)}  ${area}`),
    'self time by function:',
    ...sorted(byFunction).map(([fn, hits]) => `  ${share(hits).padStart(7)}  ${fn}`),
  ].join('\n');
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const repo = path.search(/\/(src|plugins|test|bench)\//);
  return repo >= 0 ? path.slice(repo + 1) : path;
}

/** A package (node_modules), a folder of ours (src/core/queue), node internals, or V8's own. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const path = shortUrl(url);
  if (path !== url.replace(/^file:\/\//, '') && url.includes('node_modules/')) {
    const parts = path.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return path
    .split('/')
    .slice(0, path.startsWith('src/hubspot') || path.startsWith('src/core') ? 3 : 2)
    .join('/');
}
