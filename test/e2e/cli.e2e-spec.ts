import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
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

  describe('plugin commands (<plugin>:<command>)', () => {
    const matrixCwd = () => {
      const cwd = mkdtempSync(join(tmpdir(), 'gw-cli-'));
      writeFileSync(join(cwd, 'gateway.yaml'), 'adapters:\n  matrix:\n    mode: appservice\n');
      return cwd;
    };
    const env = { PUBLIC_URL: 'https://gw.example.com' };

    it('matrix:registration prints a registration file and exits 0', () => {
      const result = cli(['matrix:registration', '--server-name', 'example.org'], matrixCwd(), env);
      expect(result.status).toBe(0);
      const registration = parse(result.stdout) as Record<string, unknown>;
      expect(registration).toMatchObject({
        id: 'hubspot-gateway',
        url: null,
        sender_localpart: '_hubspot_bot',
        as_token: expect.stringMatching(/^[0-9a-f]{64}$/),
        hs_token: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('passes PUBLIC_URL and the arguments to the plugin', () => {
      const cwd = matrixCwd();
      const first = cli(['matrix:registration'], cwd, env);
      writeFileSync(join(cwd, 'registration.yaml'), first.stdout);
      const second = cli(
        ['matrix:registration', '--from', 'registration.yaml', '--account', 'acc-7'],
        cwd,
        env,
      );
      expect(second.status).toBe(0);
      expect(parse(second.stdout)).toMatchObject({
        url: 'https://gw.example.com/adapters/matrix/acc-7',
      });
    });

    it("exits 1 with the plugin command's error on stderr", () => {
      const result = cli(['matrix:registration', '--account', 'acc-7'], matrixCwd(), env);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('--account needs --from');
      expect(result.stdout).toBe('');
    });

    it("exits 2 for an unknown command of an enabled plugin, listing the plugins' commands", () => {
      const result = cli(['matrix:nope'], matrixCwd(), env);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('unknown command: matrix:nope');
      expect(result.stderr).toContain('matrix:registration');
    });

    it('exits 2 for a command of a plugin that is not enabled', () => {
      const result = cli(['telegram:registration'], matrixCwd(), env);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('is adapters.telegram enabled?');
    });
  });

  it('lists its commands for an unknown one and exits 2', () => {
    const result = cli(['nope'], mkdtempSync(join(tmpdir(), 'gw-cli-')));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command: nope');
    expect(result.stderr).toContain('dead-letters:replay <id>');
  });
});
