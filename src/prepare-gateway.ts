import type { DestinationStream } from 'pino';
import { loadGatewayConfig, SECRET_KEYS, type GatewayConfig } from './core/config';
import { loadOrCreateEncryptionKey } from './core/crypto';
import { createLogger, SecretRedactor, type GatewayLogger } from './core/logging';
import { loadEnabledPlugins, type LoadedPlugin } from './core/plugins/plugin-loader';

/** Everything the gateway needs before Nest starts; all of it validated. */
export interface PreparedGateway {
  config: GatewayConfig;
  configFile?: string;
  logger: GatewayLogger;
  redactor: SecretRedactor;
  plugins: LoadedPlugin[];
  encryptionKey: Buffer;
}

export interface PrepareOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where logs go (default stdout). */
  logDestination?: DestinationStream;
  /** Overrides the plugins folder (tests). */
  pluginsDir?: string;
}

/**
 * Loads and validates configuration and plugins, and the encryption key. Throws ConfigError for
 * anything wrong in the configuration, before any side effect but the key file.
 */
export async function prepareGateway(options: PrepareOptions = {}): Promise<PreparedGateway> {
  const { config, configFile } = loadGatewayConfig({ env: options.env, cwd: options.cwd });
  const plugins = loadEnabledPlugins(config, options.pluginsDir);
  const redactor = new SecretRedactor();
  for (const key of SECRET_KEYS) redactor.register(String(config[key] ?? ''));
  const logger = createLogger(config.LOG_LEVEL, redactor, options.logDestination);
  const key = await loadOrCreateEncryptionKey({
    configuredKey: config.ENCRYPTION_KEY,
    dataDir: options.cwd ? resolveFrom(options.cwd, config.DATA_DIR) : config.DATA_DIR,
  });
  if (key.generated) {
    logger.warn(
      { path: key.path },
      'ENCRYPTION_KEY is not set: generated a new key and stored it in the key file; back it up, ' +
        'stored credentials cannot be decrypted without it',
    );
  }
  for (const warning of key.warnings) logger.warn(warning);
  logger.info(
    { configFile: configFile ?? '(none)', adapters: plugins.map((p) => p.name) },
    'configuration loaded',
  );
  return { config, configFile, logger, redactor, plugins, encryptionKey: key.key };
}

function resolveFrom(cwd: string, path: string): string {
  return path.startsWith('/') ? path : `${cwd.replace(/\/$/, '')}/${path}`;
}
