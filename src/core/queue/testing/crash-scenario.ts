import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CrashChildConfig } from './crash-child';

const ROOT = resolve(__dirname, '../../../..');
const REGISTER = join(ROOT, 'test/support/ts-register.js');
const CHILD = join(__dirname, 'crash-child.ts');

/** Runs the child to its end, capturing its output (e.g. to see it refuse to start). */
export function runChildToEnd(config: CrashChildConfig): Promise<{ code: number; stderr: string }> {
  const child = spawn(process.execPath, ['-r', REGISTER, CHILD, JSON.stringify(config)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('exit', (code) => done({ code: code ?? -1, stderr })));
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

function startChild(config: CrashChildConfig): { child: ChildProcess; exited: Promise<number> } {
  const child = spawn(process.execPath, ['-r', REGISTER, CHILD, JSON.stringify(config)], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number>((done) => child.on('exit', (code) => done(code ?? -1)));
  return { child, exited };
}

export function readCompletions(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/**
 * Runs the child, SIGKILLs it once `killAfter` jobs completed, restarts it and waits for it to
 * drain the queue. Returns the completion lines ("key n") of both runs, in order.
 */
export async function runCrashScenario(
  config: CrashChildConfig,
  killAfter: number,
  timeoutMs = 60_000,
): Promise<{ lines: string[]; atKill: number }> {
  const deadline = Date.now() + timeoutMs;
  const first = startChild({ ...config, enqueue: true });
  while (
    !existsSync(config.enqueuedFile) ||
    readCompletions(config.completionsFile).length < killAfter
  ) {
    if (Date.now() > deadline) throw new Error('the first child made no progress');
    if (first.child.exitCode !== null) throw new Error('the first child exited before the kill');
    await sleep(5);
  }
  first.child.kill('SIGKILL');
  await first.exited;
  const atKill = readCompletions(config.completionsFile).length;
  const second = startChild({ ...config, enqueue: false });
  const timer = setTimeout(() => second.child.kill('SIGKILL'), Math.max(0, deadline - Date.now()));
  const code = await second.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`the restarted child exited with ${code}`);
  return { lines: readCompletions(config.completionsFile), atKill };
}

/**
 * Checks the completions of a crash scenario: every job completed; per key, jobs completed in
 * enqueue order; a job may repeat (at-least-once) only right after itself, and at most one per
 * key: the key's job in flight at the kill. Returns the number of repeats.
 */
export function checkCompletions(lines: string[], keys: number, perKey: number): number {
  const byKey = new Map<string, number[]>();
  for (const line of lines) {
    const [key, n] = line.split(' ');
    const list = byKey.get(key) ?? [];
    list.push(Number(n));
    byKey.set(key, list);
  }
  let repeats = 0;
  for (let k = 0; k < keys; k += 1) {
    const list = byKey.get(`key-${k}`) ?? [];
    const distinct = [...new Set(list)];
    if (distinct.length !== perKey || distinct.some((n, i) => n !== i)) {
      throw new Error(`key-${k}: completed ${JSON.stringify(list)}`);
    }
    let keyRepeats = 0;
    for (let i = 1; i < list.length; i += 1) {
      if (list[i] < list[i - 1]) throw new Error(`key-${k} out of order: ${JSON.stringify(list)}`);
      if (list[i] === list[i - 1]) keyRepeats += 1;
    }
    // One kill: only the job of the key in flight (running, or done but not yet committed) repeats.
    if (keyRepeats > 1)
      throw new Error(`key-${k} repeated ${keyRepeats} jobs: ${JSON.stringify(list)}`);
    repeats += keyRepeats;
  }
  return repeats;
}
