import type { FaultRule } from './faults/faults';
import type { RateLimitOptions } from './limits/rate-limiter';
import type { WebhookTiming } from './webhook/webhook-deliverer';

export interface TelegramSimulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Path of api.json; default env TELEGRAM_BOT_API_SPEC or <repo>/../shared/telegram-bot-api-spec/api.json. */
  specPath?: string;
  /** Flood limits; `false` switches them off. */
  rateLimits?: Partial<RateLimitOptions> | false;
  /** Faults active from the start (more can be added at runtime). */
  faults?: FaultRule[];
  /** Seed for probabilistic faults (default 1). */
  seed?: number;
  /** Clock in milliseconds (default Date.now); drives message dates and rate limits. */
  now?: () => number;
  /** Webhook retry/timeout timing. */
  webhook?: Partial<WebhookTiming>;
  /** Upper bound for getUpdates' `timeout` in seconds (Telegram: 50). */
  maxLongPollSeconds?: number;
  /** update_id of the first update of each bot (default 100000001). */
  firstUpdateId?: number;
  /** Record every Bot API request (default true). */
  logRequests?: boolean;
}

export interface ResolvedOptions {
  port: number;
  now: () => number;
  webhook: WebhookTiming;
  maxLongPollSeconds: number;
  firstUpdateId: number;
  logRequests: boolean;
}

export function resolveOptions(options: TelegramSimulatorOptions): ResolvedOptions {
  return {
    port: options.port ?? 0,
    now: options.now ?? Date.now,
    webhook: { retryBaseMs: 1000, retryMaxMs: 60_000, timeoutMs: 10_000, ...options.webhook },
    maxLongPollSeconds: options.maxLongPollSeconds ?? 50,
    firstUpdateId: options.firstUpdateId ?? 100_000_001,
    logRequests: options.logRequests ?? true,
  };
}
