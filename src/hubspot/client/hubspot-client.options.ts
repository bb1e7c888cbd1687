import type { GatewayConfig } from '../../core/config/gateway-config';
import {
  DEFAULT_RATE_LIMIT_OPTIONS,
  type HubSpotRateLimitOptions,
} from '../rate-limit/rate-limit-options';
import { DEFAULT_DOWNLOAD_POLICY, type DownloadPolicy } from './file-download';
import { DEFAULT_FILES_OPTIONS, type FilesApiOptions } from './files.api';
import { DEFAULT_HTTP_OPTIONS } from './hubspot-http';

/** Everything the client can be tuned with; `fromGatewayConfig` fills it from the root config. */
export interface HubSpotClientOptions {
  baseUrl: string;
  appId?: string;
  clientId?: string;
  clientSecret?: string;
  developerApiKey?: string;
  /** Shared rate limits and refresh locks when set. */
  redisUrl?: string;
  /** Prefix of every Redis key the client writes. */
  redisKeyPrefix: string;
  /** Default request timeout (ms). */
  timeoutMs: number;
  /** Refresh access tokens this long before they expire (ms). */
  refreshSkewMs: number;
  rateLimit: HubSpotRateLimitOptions;
  files: FilesApiOptions;
  download: DownloadPolicy;
}

export type HubSpotClientOverrides = Partial<
  Omit<HubSpotClientOptions, 'rateLimit' | 'files' | 'download'>
> & {
  rateLimit?: Partial<HubSpotRateLimitOptions>;
  files?: Partial<FilesApiOptions>;
  download?: Partial<DownloadPolicy>;
};

export function resolveHubSpotClientOptions(
  base: Pick<HubSpotClientOptions, 'baseUrl'> & HubSpotClientOverrides,
): HubSpotClientOptions {
  return {
    redisKeyPrefix: 'hubspot',
    timeoutMs: DEFAULT_HTTP_OPTIONS.timeoutMs,
    refreshSkewMs: 5 * 60_000,
    ...base,
    rateLimit: { ...DEFAULT_RATE_LIMIT_OPTIONS, ...base.rateLimit },
    files: { ...DEFAULT_FILES_OPTIONS, ...base.files },
    download: { ...DEFAULT_DOWNLOAD_POLICY, ...base.download },
  };
}

export function hubSpotClientOptionsFromConfig(
  config: GatewayConfig,
  overrides: HubSpotClientOverrides = {},
): HubSpotClientOptions {
  return resolveHubSpotClientOptions({
    baseUrl: config.HUBSPOT_API_BASE_URL,
    appId: config.HUBSPOT_APP_ID,
    clientId: config.HUBSPOT_CLIENT_ID,
    clientSecret: config.HUBSPOT_CLIENT_SECRET,
    developerApiKey: config.HUBSPOT_DEVELOPER_API_KEY,
    redisUrl: config.REDIS_URL,
    ...overrides,
  });
}
