/**
 * Preloaded into the gateway process by bench:e2e with BENCH_PROFILE=1 (NODE_OPTIONS --require):
 * SIGWINCH starts the V8 CPU profiler, the next SIGWINCH stops it and writes the profile to
 * `<tmpdir>/bench-e2e-gateway-<pid>.cpuprofile`. Only the measured phase is profiled, and the
 * file is written without the process having to exit (`--cpu-prof` writes only on a normal exit,
 * and the gateway re-raises SIGTERM after its graceful shutdown). SIGWINCH because Nest's shutdown
 * hooks take SIGUSR2, node's inspector SIGUSR1, and SIGWINCH is ignored when this is not loaded.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const session = new Session();
let profiling = false;

function post(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

process.on('SIGWINCH', () => {
  const toggle = async () => {
    if (!profiling) {
      profiling = true;
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 500 });
      await post('Profiler.start');
      return;
    }
    profiling = false;
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    const file = join(tmpdir(), `bench-e2e-gateway-${process.pid}.cpuprofile`);
    // Written aside and renamed, so that the bench never reads half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(profile));
    renameSync(`${file}.tmp`, file);
  };
  toggle().catch((error: unknown) => process.stderr.write(`profiler: ${String(error)}\n`));
});
