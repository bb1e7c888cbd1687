import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { problemsOf } from './testing/problems-of';
import { enabledAdapterNames, loadGatewayConfig } from './config.loader';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gw-config-'));
}

describe('loadGatewayConfig', () => {
  it('uses embedded defaults when there is no file and no environment', () => {
    const { config, configFile } = loadGatewayConfig({ env: {}, cwd: tempDir() });
    expect(configFile).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('sqlite:./data/gateway.sqlite');
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.adapters).toEqual({});
  });

  it('reads the YAML file and lets the environment override it', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'gateway.yaml'),
      'PORT: 4000\nLOG_LEVEL: debug\nadapters:\n  echo:\n  telegram:\n    enabled: false\n    mode: polling\n',
    );
    const { config, configFile } = loadGatewayConfig({ env: { PORT: '5000' }, cwd });
    expect(configFile).toBe(join(cwd, 'gateway.yaml'));
    expect(config.PORT).toBe(5000);
    expect(config.LOG_LEVEL).toBe('debug');
    expect(enabledAdapterNames(config)).toEqual(['echo']);
    expect(config.adapters.telegram).toEqual({ enabled: false, mode: 'polling' });
  });

  it('takes the file path from GATEWAY_CONFIG and fails when it is missing', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'other.yaml'), 'PORT: 4100\n');
    expect(loadGatewayConfig({ env: { GATEWAY_CONFIG: 'other.yaml' }, cwd }).config.PORT).toBe(
      4100,
    );
    expect(
      problemsOf(() => loadGatewayConfig({ env: { GATEWAY_CONFIG: 'nope.yaml' }, cwd })),
    ).toEqual([{ key: 'GATEWAY_CONFIG', message: expect.stringContaining('file not found') }]);
  });

  it('names the key and the problem for invalid values', () => {
    const problems = problemsOf(() =>
      loadGatewayConfig({
        env: { PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', REDIS_URL: 'http://x' },
        cwd: tempDir(),
      }),
    );
    const keys = problems.map((p) => p.key).sort();
    expect(keys).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
    expect(problems.find((p) => p.key === 'PORT')?.message).toBe(
      'must be a whole number between 1 and 65535 (got "abc")',
    );
  });

  it('rejects unknown top-level keys and never echoes secrets', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'gateway.yaml'), 'PROT: 1\nADMIN_TOKEN: short\n');
    const problems = problemsOf(() => loadGatewayConfig({ env: {}, cwd }));
    expect(problems).toContainEqual({
      key: 'PROT',
      message: expect.stringContaining('unknown key'),
    });
    const admin = problems.find((p) => p.key === 'ADMIN_TOKEN');
    expect(admin?.message).toBe('must be at least 16 characters long');
  });

  it('reports malformed YAML and malformed adapter sections', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'gateway.yaml'),
      'adapters:\n  echo: 3\n  sms:\n    enabled: yes please\n',
    );
    const keys = problemsOf(() => loadGatewayConfig({ env: {}, cwd })).map((p) => p.key);
    expect(keys).toEqual(['adapters.echo', 'adapters.sms.enabled']);
    writeFileSync(join(cwd, 'gateway.yaml'), 'PORT: [1\n');
    expect(problemsOf(() => loadGatewayConfig({ env: {}, cwd }))[0].key).toBe('GATEWAY_CONFIG');
  });

  it('enables adapters listed in the ADAPTERS environment variable', () => {
    const { config } = loadGatewayConfig({ env: { ADAPTERS: 'echo, sms' }, cwd: tempDir() });
    expect(enabledAdapterNames(config)).toEqual(['echo', 'sms']);
  });
});
