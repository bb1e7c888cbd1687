import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  IsUrl,
} from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The gateway's root configuration. Every key can be set in the YAML file (same name) or as an
 * environment variable, which wins. `gateway.example.yaml` documents each one.
 */
export class GatewayConfig {
  @IsInt({ message: 'must be a whole number between 1 and 65535' })
  @Min(1, { message: 'must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'must be a whole number between 1 and 65535' })
  PORT: number = 3000;

  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'must be an absolute http(s) URL, e.g. https://gateway.example.com' },
  )
  PUBLIC_URL: string = 'http://localhost:3000';

  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/i, {
    message: 'must be sqlite:<path> (or sqlite::memory:) or postgres://user:pass@host:port/db',
  })
  DATABASE_URL: string = 'sqlite:./data/gateway.sqlite';

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/i, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsString({ message: 'must be a string' })
  @MinLength(1, { message: 'must not be empty' })
  DATA_DIR: string = './data';

  /** 32 bytes as base64 or 64 hex characters; generated under DATA_DIR when unset. */
  @IsOptional()
  @Matches(/^([0-9a-f]{64}|[A-Za-z0-9+/]{43}=)$/i, {
    message: 'must be 32 bytes as 64 hex characters or 44 base64 characters',
  })
  ENCRYPTION_KEY?: string;

  /** Bearer token of the admin API; the admin API is closed while it is unset. */
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @MinLength(16, { message: 'must be at least 16 characters long' })
  ADMIN_TOKEN?: string;

  /**
   * Lifetime of an account's receiver lease, renewed every third of it. With several gateway
   * processes on one database, a crashed receiver's accounts move to another process within it.
   */
  @IsInt({ message: 'must be a whole number of seconds between 3 and 600' })
  @Min(3, { message: 'must be a whole number of seconds between 3 and 600' })
  @Max(600, { message: 'must be a whole number of seconds between 3 and 600' })
  RECEIVER_LEASE_SECONDS: number = 30;

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'must be an absolute http(s) URL' },
  )
  HUBSPOT_API_BASE_URL: string = 'https://api.hubapi.com';

  /** HubSpot's OAuth consent page; only tests and simulators change it. */
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'must be an absolute http(s) URL' },
  )
  HUBSPOT_AUTHORIZE_URL: string = 'https://app.hubspot.com/oauth/authorize';

  @IsOptional()
  @Matches(/^\d+$/, { message: 'must be the numeric HubSpot app id' })
  HUBSPOT_APP_ID?: string;

  @IsOptional()
  @IsString({ message: 'must be a string' })
  HUBSPOT_CLIENT_ID?: string;

  @IsOptional()
  @IsString({ message: 'must be a string' })
  HUBSPOT_CLIENT_SECRET?: string;

  @IsOptional()
  @IsString({ message: 'must be a string' })
  HUBSPOT_DEVELOPER_API_KEY?: string;

  /** Raw per-adapter sections; each enabled plugin validates its own with its settings class. */
  adapters: Record<string, AdapterSection> = {};
}

/** One `adapters.<name>` section: `enabled` is the core's, every other key the plugin's. */
export type AdapterSection = { enabled?: boolean } & Record<string, unknown>;

/** Keys of GatewayConfig that may come from the environment or the YAML file. */
export const SCALAR_KEYS = [
  'PORT',
  'PUBLIC_URL',
  'DATABASE_URL',
  'REDIS_URL',
  'DATA_DIR',
  'ENCRYPTION_KEY',
  'ADMIN_TOKEN',
  'RECEIVER_LEASE_SECONDS',
  'LOG_LEVEL',
  'HUBSPOT_API_BASE_URL',
  'HUBSPOT_AUTHORIZE_URL',
  'HUBSPOT_APP_ID',
  'HUBSPOT_CLIENT_ID',
  'HUBSPOT_CLIENT_SECRET',
  'HUBSPOT_DEVELOPER_API_KEY',
] as const;
export type ScalarKey = (typeof SCALAR_KEYS)[number];

/** Keys whose values are secrets: never logged, redacted everywhere. */
export const SECRET_KEYS: readonly ScalarKey[] = [
  'ENCRYPTION_KEY',
  'ADMIN_TOKEN',
  'HUBSPOT_CLIENT_SECRET',
  'HUBSPOT_DEVELOPER_API_KEY',
];

export const NUMERIC_KEYS: readonly ScalarKey[] = ['PORT', 'RECEIVER_LEASE_SECONDS'];
