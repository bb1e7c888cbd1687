/**
 * The application-service registration file the homeserver needs for appservice mode (Matrix
 * spec, application-service API, "Registration"): building a new one, re-reading an existing one
 * and printing it as YAML. Pure apart from `newToken` (random).
 */
import { randomBytes } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { isRecord } from './matrix-errors';

export interface RegistrationNamespace {
  regex: string;
  exclusive: boolean;
}

/** The keys of the spec's `registration.yaml` schema that the gateway writes. */
export interface AppserviceRegistration {
  id: string;
  /** Where the homeserver pushes transactions; null = no pushes (yet). */
  url: string | null;
  as_token: string;
  hs_token: string;
  sender_localpart: string;
  namespaces: {
    users: RegistrationNamespace[];
    aliases: RegistrationNamespace[];
    rooms: RegistrationNamespace[];
  };
  rate_limited: boolean;
  receive_ephemeral: boolean;
  /** Synapse reads ephemeral data (read receipts) only with this unstable key (MSC2409). */
  'de.sorunome.msc2409.push_ephemeral': boolean;
  /** Keys of an existing file the gateway does not know are kept as they are. */
  [key: string]: unknown;
}

export interface NewRegistrationOptions {
  /** Unique, never-changing id of the appservice on the homeserver. */
  id: string;
  url: string | null;
  asToken: string;
  hsToken: string;
  /**
   * Localpart prefix of every user the appservice owns: the bot is `<prefix>bot`, the exclusive
   * users namespace `@<prefix>.*` (room for per-agent users later). Spec advice: start with `_`.
   */
  prefix: string;
  /** The homeserver's server_name; without it the namespace matches the prefix on any server. */
  serverName?: string;
}

export const DEFAULT_REGISTRATION_ID = 'hubspot-gateway';
export const DEFAULT_PREFIX = '_hubspot_';
const LOCALPART = /^[a-z0-9._=/+-]+$/;

/** A registration secret: 32 random bytes as 64 hex characters. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** The account's webhook URL (`<gateway>/adapters/matrix/<accountId>`), where transactions go. */
export function appserviceUrl(gatewayUrl: string, accountId: string): string {
  if (!/^https?:\/\/[^/\s]+/.test(gatewayUrl)) {
    throw new Error(`the gateway URL "${gatewayUrl}" must start with http:// or https://`);
  }
  return `${gatewayUrl.replace(/\/+$/, '')}/adapters/matrix/${encodeURIComponent(accountId)}`;
}

export function buildRegistration(options: NewRegistrationOptions): AppserviceRegistration {
  if (!LOCALPART.test(options.prefix)) {
    throw new Error(`the prefix "${options.prefix}" is not a valid Matrix localpart`);
  }
  const server = options.serverName ? `:${escapeRegex(options.serverName)}` : '';
  return {
    id: options.id,
    url: options.url,
    as_token: options.asToken,
    hs_token: options.hsToken,
    sender_localpart: `${options.prefix}bot`,
    namespaces: {
      users: [{ exclusive: true, regex: `@${escapeRegex(options.prefix)}.*${server}` }],
      aliases: [],
      rooms: [],
    },
    rate_limited: false,
    receive_ephemeral: true,
    'de.sorunome.msc2409.push_ephemeral': true,
  };
}

/**
 * Reads an existing registration (YAML or JSON) so that its id and tokens survive a change of
 * `url`. Throws an Error naming what is missing.
 */
export function parseRegistration(text: string): AppserviceRegistration {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new Error(`the registration is not valid YAML: ${String(error)}`);
  }
  if (!isRecord(value)) throw new Error('the registration is not a YAML mapping');
  for (const key of ['id', 'as_token', 'hs_token', 'sender_localpart']) {
    if (typeof value[key] !== 'string' || value[key] === '') {
      throw new Error(`the registration has no ${key}`);
    }
  }
  if (!isRecord(value.namespaces)) throw new Error('the registration has no namespaces');
  const url = typeof value.url === 'string' && value.url !== '' ? value.url : null;
  return { ...value, url } as AppserviceRegistration;
}

/** The registration as YAML, with `comments` as `#` lines on top (the file stays loadable). */
export function registrationYaml(registration: AppserviceRegistration, comments: string[]): string {
  const header = comments.map((line) => (line ? `# ${line}` : '#')).join('\n');
  const body = stringify(registration, { lineWidth: 0 });
  return header ? `${header}\n${body}` : body;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
