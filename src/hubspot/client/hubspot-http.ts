import { PermanentError, RetryableError } from '../../core/adapter/errors';
import type { PortalRateLimiter, RequestKind } from '../rate-limit/portal-rate-limiter';
import { observationOf } from '../rate-limit/portal-rate-limiter';
import type { AccessTokenProvider } from './access-token-provider';
import { mapErrorResponse, mapTransportError, parseRetryAfter } from './error-mapping';
import { HubSpotServerError } from './errors';
import { buildUrl, type QueryInput } from './path';
import { answerOfResponse, type HttpAnswer, requestText } from './http-answer';
import { streamRequest } from './stream-request';

export interface HubSpotHttpOptions {
  /** HUBSPOT_API_BASE_URL, e.g. https://api.hubapi.com */
  baseUrl: string;
  /** Developer API key (`hapikey`) for the channel-definition endpoints. */
  developerApiKey?: string;
  /** HubSpot app id, sent as `appId` where the channel endpoints want it. */
  appId?: string;
  /** Default timeout of a request, headers and body (ms). */
  timeoutMs: number;
  userAgent: string;
}

export const DEFAULT_HTTP_OPTIONS: Omit<HubSpotHttpOptions, 'baseUrl'> = {
  timeoutMs: 30_000,
  userAgent: 'hubspot-messenger-gateway',
};

export type HubSpotAuth =
  | { type: 'portal'; portalId: string }
  | { type: 'developer'; withAppId?: boolean }
  | { type: 'none' };

/** A streamed request body (multipart upload). */
export interface StreamBody {
  contentType: string;
  contentLength?: number;
  /** Opens the body; a body that can be opened only once makes a 401 end in a RetryableError. */
  open(): AsyncIterable<Uint8Array>;
  replayable: boolean;
}

export interface HubSpotRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with parameters filled in (see expandPath). */
  path: string;
  /**
   * The path as logged and put in error messages, when `path` holds a secret (an access token,
   * a staging token): e.g. `/oauth/v1/access-tokens/{token}`.
   */
  loggedPath?: string;
  query?: QueryInput;
  auth: HubSpotAuth;
  json?: unknown;
  form?: Record<string, string | undefined>;
  stream?: StreamBody;
  /** Overrides the default timeout (uploads of large files). */
  timeoutMs?: number;
  /** Aborts the request (queue shutdown); ends in a retryable error. */
  signal?: AbortSignal;
  /** Which rate-limit windows the request counts against. */
  kind?: RequestKind;
  /** Hand 3xx answers back instead of failing (downloads follow redirects themselves). */
  allowRedirect?: boolean;
}

export interface HubSpotHttpLogger {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

const NO_LOG: HubSpotHttpLogger = { debug: () => undefined, warn: () => undefined };

/**
 * The one place that talks HTTP to HubSpot: authentication (portal OAuth token with one refresh
 * and retry on 401, or developer key), per-portal rate limiting, timeouts, and the mapping of
 * every failure to the gateway's typed errors. It never retries anything else itself: retryable
 * errors go back to the job queue, which honours their `retryAfterMs`.
 */
export class HubSpotHttp {
  readonly options: HubSpotHttpOptions;

  constructor(
    options: Partial<HubSpotHttpOptions> & Pick<HubSpotHttpOptions, 'baseUrl'>,
    private readonly tokens: AccessTokenProvider | undefined,
    private readonly limiter: PortalRateLimiter | undefined,
    private readonly logger: HubSpotHttpLogger = NO_LOG,
  ) {
    this.options = { ...DEFAULT_HTTP_OPTIONS, ...options };
  }

  /** Sends a request and parses the JSON answer (undefined for 204 / empty bodies). */
  async json<T>(request: HubSpotRequest): Promise<T> {
    const { answer: response, done } = await this.send(request, 'all');
    try {
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw mapTransportError(
          error,
          operationOf(request),
          false,
          request.signal?.aborted ?? false,
        );
      }
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new HubSpotServerError(
          `invalid JSON in a ${response.status} answer`,
          { status: response.status, operation: operationOf(request) },
          undefined,
        );
      }
    } finally {
      done();
    }
  }

  /**
   * Sends a request and hands back the response with its body unread (downloads). The timeout
   * covers only the wait for the headers; the caller must consume or cancel the body.
   */
  async raw(request: HubSpotRequest): Promise<Response> {
    const { answer, done } = await this.send(request, 'headers');
    done();
    if (!answer.response) throw new Error('a download must be answered with a fetch Response');
    return answer.response;
  }

  /** The absolute URL of an API path (for comparing hosts of download links). */
  get baseUrl(): URL {
    return new URL(this.options.baseUrl);
  }

  private async send(
    request: HubSpotRequest,
    timeoutCovers: 'all' | 'headers',
    attempt = 1,
  ): Promise<{ answer: HttpAnswer; done: () => void }> {
    const operation = operationOf(request);
    const portalId = request.auth.type === 'portal' ? request.auth.portalId : undefined;
    const token = portalId ? await this.tokenProvider().getAccessToken(portalId) : undefined;
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: 'application/json',
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const url = buildUrl(this.options.baseUrl, request.path, {
      ...request.query,
      ...this.developerQuery(request.auth),
    });
    const body = this.body(request, headers);

    const lease = portalId
      ? await this.limiter?.acquire(portalId, request.kind ?? 'default', request.signal)
      : undefined;
    const timer = new AbortController();
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      timer.abort(new Error('timeout'));
    }, timeoutMs);
    // The caller's signal aborts the same controller. (AbortSignal.any would do it, but on Node 20
    // it costs a combined signal with weak references per request, on every publish.)
    const callerSignal = request.signal;
    const abortByCaller = () => timer.abort(callerSignal?.reason);
    if (callerSignal?.aborted) abortByCaller();
    else callerSignal?.addEventListener('abort', abortByCaller, { once: true });
    const signal = timer.signal;
    const done = (): void => {
      clearTimeout(timeout);
      // A download's body is still read after `done` (timeout covers the headers only): the
      // caller's signal keeps aborting it.
      if (timeoutCovers === 'all') callerSignal?.removeEventListener('abort', abortByCaller);
    };

    let response: HttpAnswer;
    try {
      if (body !== undefined && typeof body !== 'string') {
        response = answerOfResponse(
          await streamRequest(url, { method: request.method, headers, body, signal }),
        );
      } else if (timeoutCovers === 'all') {
        response = await requestText(url, { method: request.method, headers, body, signal });
      } else {
        response = answerOfResponse(
          await fetch(url, { method: request.method, headers, body, signal, redirect: 'manual' }),
        );
      }
    } catch (error) {
      done();
      throw mapTransportError(error, operation, timedOut, request.signal?.aborted ?? false);
    } finally {
      lease?.release();
    }
    if (timeoutCovers === 'headers') done();

    if (portalId && this.limiter) {
      const observation = {
        ...observationOf(response.status, response.headers),
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      };
      await this.limiter.observe(portalId, observation).catch((error: unknown) => {
        this.logger.warn({ err: error, portalId }, 'could not record HubSpot rate-limit headers');
      });
    }

    if (response.status === 401 && portalId && token && attempt === 1) {
      await response.discard();
      done();
      this.logger.debug({ portalId, operation }, 'HubSpot rejected the access token; refreshing');
      await this.tokenProvider().refreshAfterRejection(portalId, token);
      if (!request.stream || request.stream.replayable) {
        return this.send(request, timeoutCovers, attempt + 1);
      }
      throw new RetryableError(
        `HubSpot rejected the access token during ${operation}; it was refreshed, retry the request`,
        0,
      );
    }

    if (response.status >= 400 || (response.status >= 300 && !request.allowRedirect)) {
      let text = '';
      try {
        text = await response.text();
      } catch {
        // The body is informative only; the status decides the error type.
      } finally {
        done();
      }
      const error = mapErrorResponse(response.status, response.headers, text, operation);
      this.logger.debug(
        { portalId, operation, status: response.status, err: error },
        'HubSpot request failed',
      );
      throw error;
    }
    return { answer: response, done };
  }

  private tokenProvider(): AccessTokenProvider {
    if (!this.tokens) throw new Error('HubSpotHttp has no access token provider for portal calls');
    return this.tokens;
  }

  private developerQuery(auth: HubSpotAuth): QueryInput {
    if (auth.type !== 'developer') return {};
    if (!this.options.developerApiKey) {
      throw new PermanentError(
        'HUBSPOT_DEVELOPER_API_KEY is required for the custom-channel endpoints',
        { code: 'CONFIGURATION' },
      );
    }
    const query: QueryInput = { hapikey: this.options.developerApiKey };
    if (auth.withAppId) {
      if (!this.options.appId) {
        throw new PermanentError('HUBSPOT_APP_ID is required to register channels', {
          code: 'CONFIGURATION',
        });
      }
      query.appId = this.options.appId;
    }
    return query;
  }

  private body(
    request: HubSpotRequest,
    headers: Record<string, string>,
  ): string | AsyncIterable<Uint8Array> | undefined {
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      return JSON.stringify(request.json);
    }
    if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const form = new URLSearchParams();
      for (const [key, value] of Object.entries(request.form)) {
        if (value !== undefined) form.append(key, value);
      }
      return form.toString();
    }
    if (request.stream) {
      headers['content-type'] = request.stream.contentType;
      if (request.stream.contentLength !== undefined) {
        headers['content-length'] = String(request.stream.contentLength);
      }
      return request.stream.open();
    }
    return undefined;
  }
}

/** `METHOD /path` without the query string (it may carry the developer key). */
export function operationOf(
  request: Pick<HubSpotRequest, 'method' | 'path' | 'loggedPath'>,
): string {
  return `${request.method} ${request.loggedPath ?? request.path}`;
}
