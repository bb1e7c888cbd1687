import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startGatewayProcess, waitForOk } from '../support/gateway-process';

jest.setTimeout(60_000);

const tempDir = () => mkdtempSync(join(tmpdir(), 'gw-boot-'));

describe('gateway process', () => {
  it('starts with no configuration on embedded defaults and answers /health within 20 s', async () => {
    const cwd = tempDir();
    const port = await freePort();
    const gateway = startGatewayProcess(cwd, { PORT: String(port) });
    try {
      const started = Date.now();
      const response = await waitForOk(`http://127.0.0.1:${port}/health`, 20_000).catch(
        (error: Error) => {
          throw new Error(
            `${error.message}\nstdout:\n${gateway.stdout()}\nstderr:\n${gateway.stderr()}`,
          );
        },
      );
      expect(Date.now() - started).toBeLessThan(20_000);
      const health = (await response.json()) as Record<string, unknown>;
      expect(health).toMatchObject({
        status: 'ok',
        database: { status: 'ok', type: 'sqlite' },
        queue: { status: 'ok' },
        adapters: [],
      });
      expect(existsSync(join(cwd, 'data/gateway.sqlite'))).toBe(true);
      expect(existsSync(join(cwd, 'data/encryption.key'))).toBe(true);
      expect(gateway.stdout()).toContain('generated a new key');
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(await metrics.text()).toContain('gateway_jobs_enqueued_total');
    } finally {
      gateway.child.kill('SIGTERM');
    }
    const exit = await gateway.exited;
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
  });

  it('exits 1 naming the key when a value is invalid', async () => {
    const gateway = startGatewayProcess(tempDir(), { PORT: 'abc' });
    expect((await gateway.exited).code).toBe(1);
    expect(gateway.stderr()).toContain(
      'PORT: must be a whole number between 1 and 65535 (got "abc")',
    );
  });

  it('exits 1 naming an unknown plugin and listing the available ones', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'gateway.yaml'), 'adapters:\n  nosuch:\n');
    const gateway = startGatewayProcess(cwd, {});
    expect((await gateway.exited).code).toBe(1);
    expect(gateway.stderr()).toMatch(/adapters\.nosuch: unknown plugin; available plugins: .*echo/);
  });

  it('exits 1 naming an unknown key of the YAML file', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'gateway.yaml'), 'PORTT: 3000\n');
    const gateway = startGatewayProcess(cwd, {});
    expect((await gateway.exited).code).toBe(1);
    expect(gateway.stderr()).toContain('PORTT: unknown key');
  });
});
