import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

/**
 * Points the official `twilio` package at the simulator (or any Twilio-compatible base URL).
 *
 * twilio-node hard-codes `https://<product>.twilio.com` per domain; `edge`/`region` only rewrite to
 * other twilio.com hosts. Its official extension point is the `httpClient` client option: this
 * RequestClient subclass rewrites the scheme+host of every request URI to `apiBaseUrl` and keeps
 * everything else (Basic auth, form encoding, user agent, timeouts, autoRetry on 429).
 */
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

export function rewriteTwilioUrl(uri: string, apiBaseUrl: string): string {
  return uri.replace(/^https?:\/\/[a-z0-9.-]*twilio\.com(:\d+)?/i, apiBaseUrl.replace(/\/+$/, ''));
}

export interface TwilioClientForOptions extends twilio.ClientOpts {
  /** Options for the underlying RequestClient (timeout, autoRetry, maxRetries, ...). */
  requestClient?: RequestClient.RequestClientOptions;
}

/** `twilio(accountSid, authToken)` talking to `target` (a simulator or a base URL string). */
export function twilioClientFor(
  target: { baseUrl: string } | string,
  username: string,
  password: string,
  options: TwilioClientForOptions = {},
): twilio.Twilio {
  const baseUrl = typeof target === 'string' ? target : target.baseUrl;
  const { requestClient, ...clientOptions } = options;
  // A custom httpClient bypasses the client's own RequestClient construction, so carry over the
  // transport options twilio() would have passed to it.
  const transport: RequestClient.RequestClientOptions = {
    timeout: clientOptions.timeout,
    keepAlive: clientOptions.keepAlive,
    autoRetry: clientOptions.autoRetry,
    maxRetries: clientOptions.maxRetries,
    maxRetryDelay: clientOptions.maxRetryDelay,
    ...requestClient,
  };
  return twilio(username, password, {
    ...clientOptions,
    httpClient: new BaseUrlRequestClient(baseUrl, transport),
  });
}
