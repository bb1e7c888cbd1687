import 'reflect-metadata';
import { Writable } from 'node:stream';
import { ConfigError } from './core/config';
import type { CliCommand } from './cli/cli-command';
import { configCheckCommand } from './cli/config-check.command';
import { deadLettersListCommand, deadLettersReplayCommand } from './cli/dead-letters.command';
import { channelsListCommand, channelsRegisterCommand } from './hubspot/channels/channel.commands';
import { prepareGateway, type PreparedGateway } from './prepare-gateway';

/** `npm run gateway -- <command> [args]`: operator commands next to the server. */
const COMMANDS: CliCommand[] = [
  configCheckCommand,
  channelsRegisterCommand,
  channelsListCommand,
  deadLettersListCommand,
  deadLettersReplayCommand,
];

function help(): string {
  return [
    'usage: npm run gateway -- <command> [args]',
    '',
    ...COMMANDS.map((command) => `  ${command.usage.padEnd(32)} ${command.description}`),
    `  ${'<plugin>:<command> [args]'.padEnd(32)} a command of an enabled plugin (e.g. matrix:registration)`,
  ].join('\n');
}

/**
 * Runs `<plugin id>:<command>` of an enabled plugin, or answers 2 when there is none. Plugins
 * are only known once the configuration is loaded, hence after prepareGateway.
 */
async function runPluginCommand(
  prepared: PreparedGateway,
  name: string,
  args: string[],
  out: (line: string) => void,
): Promise<number> {
  const colon = name.indexOf(':');
  const [pluginId, commandName] = [name.slice(0, colon), name.slice(colon + 1)];
  const loaded = prepared.plugins.find((candidate) => candidate.name === pluginId);
  const command = loaded?.plugin.commands?.find((candidate) => candidate.name === commandName);
  if (!loaded || !command) {
    const commands = prepared.plugins.flatMap(({ name: plugin, plugin: { commands = [] } }) =>
      commands.map(
        (c) => `  ${`${plugin}:${c.name} ${c.usage ?? ''}`.padEnd(32)} ${c.description}`,
      ),
    );
    process.stderr.write(
      `unknown command: ${name}${loaded ? '' : ` (is adapters.${pluginId} enabled?)`}\n\n${help()}\n` +
        (commands.length ? `\ncommands of the enabled plugins:\n${commands.join('\n')}\n` : ''),
    );
    return 2;
  }
  return command.run(args, {
    settings: loaded.settings,
    publicUrl: prepared.config.PUBLIC_URL,
    out,
  });
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command && !name?.includes(':')) {
    process.stderr.write(`${name ? `unknown command: ${name}\n\n` : ''}${help()}\n`);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  // Log lines would clutter a command's output: keep only warnings and errors, on stderr.
  const stderrLogs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      process.stderr.write(chunk, () => done());
    },
  });
  try {
    const prepared = await prepareGateway({
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      logDestination: stderrLogs,
    });
    const out = (line: string) => process.stdout.write(`${line}\n`);
    if (!command) return await runPluginCommand(prepared, name, args, out);
    return await command.run(prepared, args, out);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
