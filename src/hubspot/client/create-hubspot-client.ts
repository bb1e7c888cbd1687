import Redis from 'ioredis';
import { OAuthTokenApi } from '../oauth/oauth-token.api';
import { LocalRefreshLock, type RefreshLock } from '../oauth/refresh-lock';
import { RedisRefreshLock } from '../oauth/redis-refresh-lock';
import { HubSpotTokenManager } from '../oauth/token-manager';
import type { TokenStore } from '../oauth/token-store';
import { MemoryRateLimitStore } from '../rate-limit/memory-rate-limit-store';
import { PortalRateLimiter } from '../rate-limit/portal-rate-limiter';
import type { RateLimitStore } from '../rate-limit/rate-limit-store';
import { RedisRateLimitStore } from '../rate-limit/redis-rate-limit-store';
import { FileDownloader } from './file-download';
import { HubSpotClient } from './hubspot-client';
import type { HubSpotClientOptions } from './hubspot-client.options';
import { HubSpotHttp, type HubSpotHttpLogger } from './hubspot-http';

/** The client and the parts it is made of (tests and the Nest module reach into them). */
export interface HubSpotClientKit {
  client: HubSpotClient;
  http: HubSpotHttp;
  tokens: HubSpotTokenManager;
  oauth: OAuthTokenApi;
  limiter: PortalRateLimiter;
  /** Closes the Redis connection the kit opened (if any). */
  close(): Promise<void>;
}

export interface HubSpotClientDependencies {
  /** InstallTokenStore (encrypted, persistence layer) in the gateway. */
  tokenStore: TokenStore;
  /** An existing connection to use instead of opening one from `options.redisUrl`. */
  redis?: Redis;
  logger?: HubSpotHttpLogger;
  now?: () => number;
}

/**
 * Wires the client: Redis-backed rate limiter and refresh lock when a Redis is configured,
 * in-process ones otherwise.
 */
export function createHubSpotClient(
  options: HubSpotClientOptions,
  deps: HubSpotClientDependencies,
): HubSpotClientKit {
  const ownRedis = !deps.redis && options.redisUrl ? new Redis(options.redisUrl) : undefined;
  ownRedis?.on('error', (error) => deps.logger?.warn({ err: error }, 'HubSpot client Redis error'));
  const redis = deps.redis ?? ownRedis;
  const store: RateLimitStore = redis ? new RedisRateLimitStore(redis) : new MemoryRateLimitStore();
  const lock: RefreshLock = redis
    ? new RedisRefreshLock(redis, {}, `${options.redisKeyPrefix}:oauth-refresh-lock`)
    : new LocalRefreshLock();
  const limiter = new PortalRateLimiter(
    store,
    options.rateLimit,
    `${options.redisKeyPrefix}:ratelimit`,
  );
  const tokenStore = deps.tokenStore;

  const httpOptions = {
    baseUrl: options.baseUrl,
    developerApiKey: options.developerApiKey,
    appId: options.appId,
    timeoutMs: options.timeoutMs,
  };
  const oauthHttp = new HubSpotHttp(httpOptions, undefined, undefined, deps.logger);
  const oauth = new OAuthTokenApi(oauthHttp, {
    clientId: options.clientId ?? '',
    clientSecret: options.clientSecret ?? '',
  });
  const tokens = new HubSpotTokenManager(
    tokenStore,
    oauth,
    lock,
    { refreshSkewMs: options.refreshSkewMs, ...(deps.now && { now: deps.now }) },
    deps.logger,
  );
  const http = new HubSpotHttp(httpOptions, tokens, limiter, deps.logger);
  const downloader = new FileDownloader(http, tokens, options.download);
  const client = new HubSpotClient(http, downloader, options.files);
  return {
    client,
    http,
    tokens,
    oauth,
    limiter,
    close: async () => {
      if (ownRedis) await ownRedis.quit().catch(() => ownRedis.disconnect());
    },
  };
}
