import * as fs from 'node:fs';
import * as path from 'node:path';

/** A fault-injection rule; see faults.ts. */
export interface FaultRule {
  id?: string;
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Path pattern: `*` matches one segment, `**` any rest, `{x}`/`:x` one segment. */
  path: string;
  /** Respond with this status (429, 500, 502, 503 ...) instead of calling the endpoint. */
  status?: number;
  /** Delay the request by this many milliseconds (then continue, or fail if status is set). */
  delayMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Probability 0..1 that the rule fires for a matching request (default 1). */
  probability?: number;
  /** Fire at most this many times (unlimited when omitted). */
  count?: number;
}

export interface RateLimitOptions {
  enabled: boolean;
  /** Requests per interval per portal (HubSpot public OAuth apps: 110 per 10 s). */
  max: number;
  intervalMs: number;
  /** Add a Retry-After header to 429s (UNCLEAR whether HubSpot does; off by default). */
  retryAfterHeader: boolean;
}

export interface HubSpotSimulatorOptions {
  /** Port to listen on (0 = random). Always binds 127.0.0.1. */
  port: number;
  /** Directory containing HubSpot's OpenAPI documents. */
  openApiDir: string;
  appId: number;
  clientId: string;
  clientSecret: string;
  developerApiKey: string;
  /** Lifetime of access tokens in seconds (HubSpot: 1800). */
  accessTokenTtlSeconds: number;
  /** Lifetime of authorization codes in seconds. */
  authorizationCodeTtlSeconds: number;
  /** Check OAuth scopes per operation (from the OpenAPI security requirements) and answer 403. */
  enforceScopes: boolean;
  /** Scopes granted when a portal is created through the control API without explicit scopes. */
  defaultScopes: string[];
  rateLimit: RateLimitOptions;
  faults: FaultRule[];
  /** Seed of the PRNG used by probabilistic faults (deterministic tests). */
  faultSeed: number;
  /** Webhook retry delays in ms before attempts 2..n (HubSpot-like: 10 attempts over ~24 h). */
  webhookRetryDelaysMs: number[];
  /** Multiplier applied to retry delays (e.g. 0.001 in tests). */
  webhookTimeScale: number;
  /** Per-attempt webhook timeout (HubSpot: 5 s). */
  webhookTimeoutMs: number;
  /** Refuse to deliver webhooks to non-loopback hosts (tests must never leave the machine). */
  loopbackWebhooksOnly: boolean;
  /** portalId in webhook bodies as string (observed in a real event) or number. */
  webhookPortalIdAsString: boolean;
  /** Add the UNCLEAR fields eventId, eventTimestamp and top-level channelAccountId to events. */
  webhookExtraFields: boolean;
  /** What an INCOMING message does when its thread is CLOSED (UNCLEAR in HubSpot). */
  closedThreadBehavior: 'NEW_THREAD' | 'REOPEN';
  /** Idempotent replay of integrationIdempotencyId: 200 with original, 201 with original, or 409. */
  idempotencyReplay: 'ORIGINAL_200' | 'ORIGINAL_201' | 'CONFLICT_409';
  /** Enforce every `required` field of ChannelIntegrationMessageEgg as the document lists them. */
  strictPublishRequiredFields: boolean;
  /** Fields the channel PATCH requires (document: all six, typed as objects; SDK: these three). */
  channelPatchRequiredFields: string[];
  /** Reject capability keys outside the documented set. */
  rejectUnknownCapabilities: boolean;
  /** Closing a thread moves its ticket to the closed stage (UNCLEAR in HubSpot). */
  closeTicketWithThread: boolean;
  /** Append portalId to the connection redirect URL (UNCLEAR; off = only the three known params). */
  connectUrlIncludesPortalId: boolean;
  /** Send CHANNEL_ACCOUNT_CREATED also when the integration POSTs a channel account itself. */
  emitCreatedOnApiCreate: boolean;
  /** Max upload size in bytes. */
  maxUploadBytes: number;
  /** Where uploaded files are stored (a fresh temp dir when omitted). */
  filesDir?: string;
  /** Log requests to stdout. */
  verbose: boolean;
}

/** HUBSPOT_OPENAPI_DIR, else ../shared/hubspot-openapi next to the repo root (works from dist too). */
export function defaultOpenApiDir(): string {
  if (process.env.HUBSPOT_OPENAPI_DIR) return process.env.HUBSPOT_OPENAPI_DIR;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) {
    dir = path.dirname(dir);
  }
  return path.resolve(dir, '../shared/hubspot-openapi');
}

/** HubSpot-like retry schedule: exponential from 1 minute, ~24 h in total, 10 attempts. */
export const REALISTIC_RETRY_DELAYS_MS = [
  60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_840_000, 7_680_000, 15_360_000,
];

export function resolveOptions(
  partial: Partial<HubSpotSimulatorOptions> = {},
): HubSpotSimulatorOptions {
  const rateLimit: RateLimitOptions = {
    enabled: true,
    max: 110,
    intervalMs: 10_000,
    retryAfterHeader: false,
    ...(partial.rateLimit ?? {}),
  };
  return {
    port: 0,
    openApiDir: defaultOpenApiDir(),
    appId: 4242,
    clientId: 'sim-client-id-0000-0000-000000000000',
    clientSecret: 'sim-client-secret-0000-0000-000000000000',
    developerApiKey: 'sim-developer-api-key',
    accessTokenTtlSeconds: 1800,
    authorizationCodeTtlSeconds: 600,
    enforceScopes: true,
    defaultScopes: [
      'oauth',
      'conversations.custom_channels.read',
      'conversations.custom_channels.write',
      'conversations.read',
      'conversations.write',
      'crm.objects.contacts.read',
      'crm.objects.contacts.write',
      'crm.objects.owners.read',
      'tickets',
      'files',
    ],
    faults: [],
    faultSeed: 1,
    webhookRetryDelaysMs: REALISTIC_RETRY_DELAYS_MS,
    webhookTimeScale: 1,
    webhookTimeoutMs: 5000,
    loopbackWebhooksOnly: true,
    webhookPortalIdAsString: true,
    webhookExtraFields: false,
    closedThreadBehavior: 'NEW_THREAD',
    idempotencyReplay: 'ORIGINAL_200',
    strictPublishRequiredFields: false,
    channelPatchRequiredFields: ['capabilities', 'channelDescription', 'channelLogoUrl'],
    rejectUnknownCapabilities: true,
    closeTicketWithThread: true,
    connectUrlIncludesPortalId: false,
    emitCreatedOnApiCreate: false,
    maxUploadBytes: 512 * 1024 * 1024,
    verbose: false,
    ...partial,
    rateLimit,
  };
}
