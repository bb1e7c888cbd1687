/**
 * Points the official `twilio` client at another base URL (a simulator in tests) through its
 * supported extension point, the `httpClient` option: every request URI's scheme and host are
 * rewritten, everything else (Basic auth, form encoding, timeouts) stays twilio-node's own.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';

export class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(
    readonly apiBaseUrl: string,
    options?: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    return super.request<TData>({ ...opts, uri: rewriteTwilioUrl(opts.uri, this.apiBaseUrl) });
  }
}

/** `https://api.twilio.com/2010-04-01/...` -> `<apiBaseUrl>/2010-04-01/...`. */
export function rewriteTwilioUrl(uri: string, apiBaseUrl: string): string {
  return uri.replace(/^https?:\/\/[a-z0-9.-]*twilio\.com(:\d+)?/i, apiBaseUrl.replace(/\/+$/, ''));
}

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Unset: the real Twilio API. */
  apiBaseUrl?: string;
  timeoutMs?: number;
}

/**
 * A client without twilio-node's own 429 retries: rate limits surface to the gateway's queue as
 * RateLimitedError instead of blocking a send for seconds.
 */
export function createTwilioClient(options: TwilioClientOptions): twilio.Twilio {
  const transport: RequestClient.RequestClientOptions = {
    timeout: options.timeoutMs ?? 30_000,
    autoRetry: false,
  };
  const httpClient = options.apiBaseUrl
    ? new BaseUrlRequestClient(options.apiBaseUrl, transport)
    : new twilio.RequestClient(transport);
  return twilio(options.accountSid, options.authToken, { httpClient });
}
