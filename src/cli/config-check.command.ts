import { enabledAdapterNames } from '../core/config';
import type { CliCommand } from './cli-command';

/** Validates configuration and plugins exactly as boot does, and prints what would run. */
export const configCheckCommand: CliCommand = {
  name: 'config:check',
  usage: 'config:check',
  description: 'validate gateway.yaml and the environment, and print the effective settings',
  async run(prepared, _args, out) {
    const { config, configFile, plugins } = prepared;
    out(`configuration OK (${configFile ?? 'no file, defaults and environment'})`);
    out(`  PORT=${config.PORT} PUBLIC_URL=${config.PUBLIC_URL}`);
    out(`  DATABASE_URL=${config.DATABASE_URL.replace(/\/\/[^@/]*@/, '//***@')}`);
    out(`  queue: ${config.REDIS_URL ? 'Bull on Redis' : 'embedded (database)'}`);
    out(`  adapters: ${enabledAdapterNames(config).join(', ') || '(none)'}`);
    for (const plugin of plugins) {
      out(
        `    ${plugin.name}: ${plugin.plugin.manifest.displayName} ${plugin.plugin.manifest.version}`,
      );
    }
    return 0;
  },
};
