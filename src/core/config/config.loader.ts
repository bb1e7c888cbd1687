import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse as parseYaml } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error';
import {
  GatewayConfig,
  NUMERIC_KEYS,
  SCALAR_KEYS,
  SECRET_KEYS,
  type AdapterSection,
  type ScalarKey,
} from './gateway-config';
import { toConfigProblems } from './validation-problems';

export const DEFAULT_CONFIG_PATH = './gateway.yaml';

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface LoadedConfig {
  config: GatewayConfig;
  /** The YAML file that was read, if any. */
  configFile?: string;
}

const isScalarKey = (key: string): key is ScalarKey =>
  (SCALAR_KEYS as readonly string[]).includes(key);
const isSecretKey = (key: string): boolean => (SECRET_KEYS as readonly string[]).includes(key);

/**
 * Reads the YAML file (path from GATEWAY_CONFIG, default ./gateway.yaml, optional), applies
 * environment overrides and validates the result. Throws ConfigError naming every bad key.
 */
export function loadGatewayConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];

  const explicitPath = env.GATEWAY_CONFIG;
  const configFile = resolve(cwd, explicitPath || DEFAULT_CONFIG_PATH);
  let raw: Record<string, unknown> = {};
  let readFile: string | undefined;
  if (existsSync(configFile)) {
    readFile = configFile;
    raw = readYaml(configFile, problems);
  } else if (explicitPath) {
    problems.push({ key: 'GATEWAY_CONFIG', message: `file not found: ${configFile}` });
  }

  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'adapters') continue;
    if (!isScalarKey(key)) {
      problems.push({
        key,
        message: `unknown key (known keys: ${[...SCALAR_KEYS, 'adapters'].join(', ')})`,
      });
      continue;
    }
    merged[key] = value;
  }
  for (const key of SCALAR_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  for (const key of NUMERIC_KEYS) {
    const value = merged[key];
    if (typeof value === 'string' && /^\d+$/.test(value.trim())) merged[key] = Number(value);
  }

  const config = plainToInstance(GatewayConfig, merged);
  config.adapters = readAdapters(raw.adapters, env.ADAPTERS, problems);
  problems.push(
    ...toConfigProblems(validateSync(config, { forbidUnknownValues: false }), '', isSecretKey),
  );

  if (problems.length > 0) throw new ConfigError(problems);
  return { config, configFile: readFile };
}

function readYaml(file: string, problems: ConfigProblem[]): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push({
      key: 'GATEWAY_CONFIG',
      message: `${file} is not valid YAML: ${String(error)}`,
    });
    return {};
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed)) {
    problems.push({ key: 'GATEWAY_CONFIG', message: `${file} must contain a mapping of keys` });
    return {};
  }
  return parsed;
}

/**
 * `adapters:` maps a plugin name to its settings (or to nothing, for defaults). The ADAPTERS
 * environment variable (comma-separated names) enables plugins with default settings.
 */
function readAdapters(
  value: unknown,
  fromEnv: string | undefined,
  problems: ConfigProblem[],
): Record<string, AdapterSection> {
  const adapters: Record<string, AdapterSection> = {};
  if (value !== undefined && value !== null) {
    if (!isPlainObject(value)) {
      problems.push({ key: 'adapters', message: 'must be a mapping of plugin names to settings' });
    } else {
      for (const [name, section] of Object.entries(value)) {
        if (section === null || section === undefined) {
          adapters[name] = {};
        } else if (!isPlainObject(section)) {
          problems.push({ key: `adapters.${name}`, message: 'must be a mapping of settings' });
        } else if (section.enabled !== undefined && typeof section.enabled !== 'boolean') {
          problems.push({ key: `adapters.${name}.enabled`, message: 'must be true or false' });
        } else {
          adapters[name] = section;
        }
      }
    }
  }
  for (const name of (fromEnv ?? '').split(',').map((n) => n.trim())) {
    if (name) adapters[name] = { ...adapters[name], enabled: true };
  }
  return adapters;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names of the adapters that are switched on. */
export function enabledAdapterNames(config: GatewayConfig): string[] {
  return Object.entries(config.adapters)
    .filter(([, section]) => section.enabled !== false)
    .map(([name]) => name);
}
