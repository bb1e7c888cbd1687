/**
 * `npm run gateway -- matrix:registration [options]`: prints the appservice registration file
 * for appservice mode. Two steps, because the registration must exist before the account (the
 * connection popup checks the as_token with whoami) while its `url` names the account:
 *
 *   1. without --account: new tokens, `url: null` (the homeserver pushes nothing yet);
 *   2. after connecting: --from <file> --account <id> keeps id and tokens and sets `url`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { PluginCommand, PluginCommandContext } from '../../src/core/adapter';
import {
  appserviceUrl,
  buildRegistration,
  DEFAULT_PREFIX,
  DEFAULT_REGISTRATION_ID,
  newToken,
  parseRegistration,
  registrationYaml,
  type AppserviceRegistration,
} from './matrix-registration';
import type { MatrixSettings } from './matrix.settings';

const USAGE =
  '[--server-name <name>] [--id <id>] [--prefix <localpart prefix>] | --from <file> [--account <id>] [--gateway-url <url>]';

const OPTIONS = {
  account: { type: 'string' },
  from: { type: 'string' },
  'gateway-url': { type: 'string' },
  'server-name': { type: 'string' },
  id: { type: 'string' },
  prefix: { type: 'string' },
  help: { type: 'boolean' },
} as const;

export const matrixRegistrationCommand: PluginCommand<MatrixSettings> = {
  name: 'registration',
  usage: '[--account <id>] [--from <file>] …',
  description: 'print the appservice registration file for the homeserver (appservice mode)',
  async run(args, context) {
    const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
    if (values.help) {
      context.out(`usage: npm run gateway -- matrix:registration ${USAGE}`);
      return 0;
    }
    const existing = values.from ? readRegistration(values.from) : undefined;
    if (existing && (values.id || values.prefix || values['server-name'])) {
      throw new Error(
        '--from keeps the id and namespaces of that file: drop --id, --prefix and --server-name',
      );
    }
    if (values.account && !existing) {
      // New tokens would not match the as_token/hs_token the account was connected with.
      throw new Error(
        '--account needs --from <the registration file the account was connected with>',
      );
    }
    if (values['gateway-url'] && !values.account) {
      throw new Error('--gateway-url only applies with --account');
    }
    const url = values.account
      ? appserviceUrl(values['gateway-url'] ?? context.publicUrl, values.account)
      : null;
    const registration: AppserviceRegistration = existing
      ? { ...existing, url: url ?? existing.url }
      : buildRegistration({
          id: values.id ?? DEFAULT_REGISTRATION_ID,
          url,
          asToken: newToken(),
          hsToken: newToken(),
          prefix: values.prefix ?? DEFAULT_PREFIX,
          serverName: values['server-name'],
        });
    context.out(registrationYaml(registration, instructions(registration, context)).trimEnd());
    return 0;
  },
};

function readRegistration(path: string): AppserviceRegistration {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${String(error)}`);
  }
  return parseRegistration(text);
}

/** What the operator does with the file, as comments on top of it. */
function instructions(
  registration: AppserviceRegistration,
  context: PluginCommandContext<MatrixSettings>,
): string[] {
  const lines = ['Matrix application-service registration for the HubSpot messenger gateway.'];
  if (context.settings.mode !== 'appservice') {
    lines.push(
      'NOTE: adapters.matrix.mode is not "appservice" in this gateway\'s configuration; set it.',
    );
  }
  lines.push(
    'Give this file to the homeserver (Synapse: app_service_config_files) and restart it.',
    'Keep it secret: the tokens below let anyone act as the appservice.',
  );
  if (registration.url === null) {
    lines.push(
      'Then connect the channel in HubSpot: Homeserver URL = the client API URL of the homeserver,',
      'Access token = as_token, Homeserver token = hs_token (both below).',
      'url is null until the gateway account exists; then run',
      '  npm run gateway -- matrix:registration --from <this file> --account <account id>',
      'and give the homeserver the new file (the account id is listed on /health).',
    );
  } else {
    lines.push(`The homeserver pushes events to url, the gateway account's webhook URL.`);
  }
  return lines;
}
