import type { FaultRule } from './faults';
import type { ProxyRoute } from './types';

export interface TimingOptions {
  /** Minimum time a message spends queued before it is handed to the carrier (ms). */
  queuedToSendingMs: number;
  sendingToSentMs: number;
  sentToDeliveredMs: number;
  /** Only for destinations with behaviour `read`. */
  deliveredToReadMs: number;
  /** Time for a Messaging Service message to go from `accepted` to `queued` (ms). */
  acceptedToQueuedMs: number;
  /**
   * Multiplies simulated seconds: per-sender rate spacing (segments / MPS), ValidityPeriod and the
   * queue bound. 1 = real time; 0.01 makes a 1 MPS sender send 100 segments per real second.
   */
  timeScale: number;
}

export interface SeedAccount {
  sid?: string;
  authToken?: string;
  friendlyName?: string;
}

export interface TwilioSimulatorOptions {
  /** TCP port (default 0 = ephemeral). */
  port?: number;
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
  /** Twilio's OpenAPI document; default env TWILIO_OPENAPI_FILE or <repo>/../shared/twilio-openapi/twilio_api_v2010.json. */
  openApiFile?: string;
  accounts?: SeedAccount[];
  timing?: Partial<TimingOptions>;
  /** Twilio test-credential magic numbers (+1500555000x) (default true). */
  magicNumbers?: boolean;
  /** Add `OptOutType` to inbound webhooks for keywords, as Advanced Opt-Out does (default true). */
  advancedOptOut?: boolean;
  /** Send Twilio's default STOP/START/HELP replies (default true). */
  keywordReplies?: boolean;
  /** Media content URLs require HTTP Basic auth (default true, as Twilio enforces now). */
  mediaAuth?: boolean;
  /** Media content URLs answer with a redirect to short-lived storage (default true). */
  mediaRedirect?: boolean;
  /** Lifetime of a media storage link (default 300000 ms). */
  mediaLinkTtlMs?: number;
  /** In-flight REST requests per account before 429 / 20429 (default 100). */
  maxConcurrentRequests?: number;
  /** Maximum backlog per sender in simulated seconds before 21611 / 30001 (default 36000). */
  queueLimitSeconds?: number;
  /** Timeout for webhook / status callback requests (default 15000 ms). */
  webhookTimeoutMs?: number;
  /** Timeout for fetching an outbound MediaUrl (default 10000 ms; then the message fails 11200). */
  mediaFetchTimeoutMs?: number;
  /** Public base URL used in resource URIs and MediaUrlN (default: the listening base URL). */
  publicBaseUrl?: string;
  faults?: FaultRule[];
  /** Seed for the fault PRNG (default 1). */
  seed?: number;
  proxyRoutes?: ProxyRoute[];
}

export interface ResolvedOptions {
  timing: TimingOptions;
  magicNumbers: boolean;
  advancedOptOut: boolean;
  keywordReplies: boolean;
  mediaAuth: boolean;
  mediaRedirect: boolean;
  mediaLinkTtlMs: number;
  maxConcurrentRequests: number;
  queueLimitSeconds: number;
  webhookTimeoutMs: number;
  mediaFetchTimeoutMs: number;
}

export const DEFAULT_TIMING: TimingOptions = {
  queuedToSendingMs: 100,
  sendingToSentMs: 200,
  sentToDeliveredMs: 500,
  deliveredToReadMs: 500,
  acceptedToQueuedMs: 50,
  timeScale: 1,
};

export function resolveOptions(options: TwilioSimulatorOptions): ResolvedOptions {
  return {
    timing: { ...DEFAULT_TIMING, ...options.timing },
    magicNumbers: options.magicNumbers ?? true,
    advancedOptOut: options.advancedOptOut ?? true,
    keywordReplies: options.keywordReplies ?? true,
    mediaAuth: options.mediaAuth ?? true,
    mediaRedirect: options.mediaRedirect ?? true,
    mediaLinkTtlMs: options.mediaLinkTtlMs ?? 300_000,
    maxConcurrentRequests: options.maxConcurrentRequests ?? 100,
    queueLimitSeconds: options.queueLimitSeconds ?? 36_000,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 15_000,
    mediaFetchTimeoutMs: options.mediaFetchTimeoutMs ?? 10_000,
  };
}
