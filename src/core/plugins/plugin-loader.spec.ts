import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { problemsOf } from '../config/testing/problems-of';
import { GatewayConfig } from '../config/gateway-config';
import { discoverPlugins } from './plugin-discovery';
import { loadEnabledPlugins } from './plugin-loader';

const classValidator = require.resolve('class-validator');

/** Writes plain-JS plugins so the loader is tested exactly as it runs on a build. */
function pluginsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-plugins-'));
  const write = (name: string, source: string) => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'index.js'), source);
  };
  write(
    'alpha',
    `const { IsIn, IsOptional } = require(${JSON.stringify(classValidator)});
     class AlphaSettings { constructor() { this.mode = 'webhook'; } }
     IsOptional()(AlphaSettings.prototype, 'mode');
     IsIn(['webhook', 'polling'], { message: 'must be webhook or polling' })(AlphaSettings.prototype, 'mode');
     exports.plugin = { manifest: { id: 'alpha' }, settingsClass: AlphaSettings, createAdapter() { throw new Error('unused'); } };`,
  );
  write('beta', `exports.plugin = { manifest: { id: 'beta' }, createAdapter() {} };`);
  write('gamma', `exports.plugin = { manifest: { id: 'not-gamma' }, createAdapter() {} };`);
  write(
    'forgetful',
    `exports.plugin = { manifest: { id: 'forgetful', stateRetention: [{ keyPrefix: 'status:', maxAgeMs: 1000 }] }, createAdapter() {} };`,
  );
  write('broken', `throw new Error('boom at load');`);
  write('loaded-only-when-enabled', `throw new Error('must never be required');`);
  mkdirSync(join(dir, 'no-index'));
  return dir;
}

function configWith(adapters: GatewayConfig['adapters']): GatewayConfig {
  const config = new GatewayConfig();
  config.adapters = adapters;
  return config;
}

describe('plugin discovery and loading', () => {
  const dir = pluginsDir();

  it('discovers folders with an index module', () => {
    expect(discoverPlugins(dir).map((p) => p.name)).toEqual([
      'alpha',
      'beta',
      'broken',
      'forgetful',
      'gamma',
      'loaded-only-when-enabled',
    ]);
  });

  it('loads only enabled plugins, with validated settings', () => {
    const loaded = loadEnabledPlugins(
      configWith({ alpha: { mode: 'polling' }, beta: {}, broken: { enabled: false } }),
      dir,
    );
    expect(loaded.map((p) => p.name)).toEqual(['alpha', 'beta']);
    expect(loaded[0].settings).toMatchObject({ mode: 'polling' });
  });

  it('names an unknown plugin and lists the available ones', () => {
    expect(problemsOf(() => loadEnabledPlugins(configWith({ nosuch: {} }), dir))).toEqual([
      {
        key: 'adapters.nosuch',
        message:
          'unknown plugin; available plugins: alpha, beta, broken, forgetful, gamma, loaded-only-when-enabled',
      },
    ]);
  });

  it('reports invalid and unknown settings keys, broken modules and id mismatches together', () => {
    const problems = problemsOf(() =>
      loadEnabledPlugins(
        configWith({
          alpha: { mode: 'carrier-pigeon', colour: 'red' },
          beta: { anything: 1 },
          gamma: {},
          broken: {},
        }),
        dir,
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          key: 'adapters.alpha.mode',
          message: 'must be webhook or polling (got "carrier-pigeon")',
        },
        { key: 'adapters.alpha.colour', message: 'unknown key' },
        { key: 'adapters.beta.anything', message: 'unknown key (this plugin has no settings)' },
        { key: 'adapters.gamma', message: expect.stringContaining('does not match') },
        { key: 'adapters.broken', message: expect.stringContaining('boom at load') },
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('refuses a state-retention rule shorter than an hour, naming the plugin', () => {
    expect(problemsOf(() => loadEnabledPlugins(configWith({ forgetful: {} }), dir))).toEqual([
      {
        key: 'adapters.forgetful',
        message: expect.stringContaining('stateRetention[0] needs a non-empty keyPrefix') as string,
      },
    ]);
  });
});
