import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type GatewayPlugin, MIN_STATE_RETENTION_MS } from '../adapter';
import { ConfigError, type ConfigProblem } from '../config/config-error';
import type { GatewayConfig } from '../config/gateway-config';
import { enabledAdapterNames } from '../config/config.loader';
import { toConfigProblems } from '../config/validation-problems';
import { defaultPluginsDir, discoverPlugins } from './plugin-discovery';

/** An enabled plugin with its validated settings. */
export interface LoadedPlugin {
  name: string;
  plugin: GatewayPlugin;
  settings: object;
}

/**
 * Loads the plugins enabled in config, and only those: a plugin that is not enabled is never
 * required. Unknown names, broken plugin modules and invalid settings are configuration errors,
 * reported together and naming their keys.
 */
export function loadEnabledPlugins(
  config: GatewayConfig,
  pluginsDir: string = defaultPluginsDir(),
): LoadedPlugin[] {
  const available = discoverPlugins(pluginsDir);
  const problems: ConfigProblem[] = [];
  const loaded: LoadedPlugin[] = [];
  for (const name of enabledAdapterNames(config)) {
    const found = available.find((candidate) => candidate.name === name);
    if (!found) {
      problems.push({
        key: `adapters.${name}`,
        message: `unknown plugin; available plugins: ${available.map((p) => p.name).join(', ') || '(none)'}`,
      });
      continue;
    }
    const plugin = requirePlugin(found.entry, name, problems);
    if (!plugin) continue;
    const settings = validateSettings(plugin, name, config.adapters[name], problems);
    if (settings) loaded.push({ name, plugin, settings });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}

function requirePlugin(
  entry: string,
  name: string,
  problems: ConfigProblem[],
): GatewayPlugin | undefined {
  let exported: unknown;
  try {
    // Plugins are discovered at run time, so they are loaded with require, not imported.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = (require(entry) as { plugin?: unknown }).plugin;
  } catch (error) {
    problems.push({ key: `adapters.${name}`, message: `plugin failed to load: ${String(error)}` });
    return undefined;
  }
  if (!isGatewayPlugin(exported)) {
    problems.push({
      key: `adapters.${name}`,
      message: `plugins/${name}/index must export \`plugin\` (created with definePlugin)`,
    });
    return undefined;
  }
  if (exported.manifest.id !== name) {
    problems.push({
      key: `adapters.${name}`,
      message: `plugin manifest id "${exported.manifest.id}" does not match its folder name`,
    });
    return undefined;
  }
  const badRule = (exported.manifest.stateRetention ?? []).findIndex(
    (rule) =>
      typeof rule.keyPrefix !== 'string' ||
      rule.keyPrefix === '' ||
      !Number.isFinite(rule.maxAgeMs) ||
      rule.maxAgeMs < MIN_STATE_RETENTION_MS,
  );
  if (badRule >= 0) {
    problems.push({
      key: `adapters.${name}`,
      message:
        `plugin manifest stateRetention[${badRule}] needs a non-empty keyPrefix and a maxAgeMs ` +
        `of at least ${MIN_STATE_RETENTION_MS} (one hour)`,
    });
    return undefined;
  }
  return exported;
}

function isGatewayPlugin(value: unknown): value is GatewayPlugin {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<GatewayPlugin>;
  return (
    typeof candidate.createAdapter === 'function' &&
    typeof candidate.manifest === 'object' &&
    candidate.manifest !== null &&
    typeof candidate.manifest.id === 'string'
  );
}

function validateSettings(
  plugin: GatewayPlugin,
  name: string,
  section: Record<string, unknown> | undefined,
  problems: ConfigProblem[],
): object | undefined {
  const { enabled: _enabled, ...raw } = section ?? {};
  if (!plugin.settingsClass) {
    const keys = Object.keys(raw);
    for (const key of keys) {
      problems.push({
        key: `adapters.${name}.${key}`,
        message: 'unknown key (this plugin has no settings)',
      });
    }
    return keys.length ? undefined : {};
  }
  const settings = plainToInstance(plugin.settingsClass, raw);
  const errors = validateSync(settings, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    problems.push(...toConfigProblems(errors, `adapters.${name}`));
    return undefined;
  }
  return settings;
}
