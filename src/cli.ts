import 'reflect-metadata';
import { Writable } from 'node:stream';
import { ConfigError } from './core/config';
import type { CliCommand } from './cli/cli-command';
import { configCheckCommand } from './cli/config-check.command';
import { deadLettersListCommand, deadLettersReplayCommand } from './cli/dead-letters.command';
import { channelsListCommand, channelsRegisterCommand } from './hubspot/channels/channel.commands';
import { prepareGateway } from './prepare-gateway';

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
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
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
    return await command.run(prepared, args, (line) => process.stdout.write(`${line}\n`));
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
