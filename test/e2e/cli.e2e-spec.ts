import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/gateway-process';

jest.setTimeout(60_000);

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(
    process.execPath,
    ['-r', join(REPO_ROOT, 'test/support/ts-register.js'), join(REPO_ROOT, 'src/cli.ts'), ...args],
    { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' },
  );
}

describe('gateway CLI', () => {
  it('config:check prints the effective settings and exits 0', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gw-cli-'));
    writeFileSync(join(cwd, 'gateway.yaml'), 'PORT: 4321\nadapters:\n  echo:\n');
    const result = cli(['config:check'], cwd, { DATABASE_URL: 'postgres://u:secret@db:5432/gw' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('configuration OK');
    expect(result.stdout).toContain('PORT=4321');
    expect(result.stdout).toContain('DATABASE_URL=postgres://***@db:5432/gw');
    expect(result.stdout).toMatch(/echo: Echo/);
  });

  it('config:check exits 1 naming the bad key', () => {
    const result = cli(['config:check'], mkdtempSync(join(tmpdir(), 'gw-cli-')), {
      LOG_LEVEL: 'loud',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('LOG_LEVEL: must be one of');
  });

  it('lists its commands for an unknown one and exits 2', () => {
    const result = cli(['nope'], mkdtempSync(join(tmpdir(), 'gw-cli-')));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command: nope');
    expect(result.stderr).toContain('dead-letters:replay <id>');
  });
});
