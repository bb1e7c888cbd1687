/**
 * A thin client for the Matrix client-server API over `fetch`. Why no SDK: see README.md
 * ("SDK choice") — matrix-bot-sdk 0.8 needs Node >= 22, 0.7.x only downloads media from the
 * frozen `/_matrix/media/v3/download`, and every bot-sdk variant eagerly loads a native crypto
 * module whose install script downloads from GitHub (not possible with `npm ci` offline).
 */
import { MatrixApiError } from './matrix-errors';

export interface MatrixRequest {
  method?: 'GET' | 'POST' | 'PUT';
  /** Path below the homeserver URL, already percent-encoded. */
  path: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
  body?: Buffer;
  contentType?: string;
  signal?: AbortSignal;
  /** Without the access token (login, versions). */
  anonymous?: boolean;
}

export class MatrixHttpClient {
  private readonly base: string;

  constructor(
    homeserverUrl: string,
    private readonly accessToken?: string,
  ) {
    this.base = homeserverUrl.replace(/\/+$/, '');
  }

  /** Sends a request and returns the raw response when it is 2xx; throws MatrixApiError else. */
  async raw(request: MatrixRequest): Promise<Response> {
    const url = new URL(this.base + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = {};
    if (!request.anonymous && this.accessToken) {
      headers.authorization = `Bearer ${this.accessToken}`;
    }
    let body: string | Buffer | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.body) {
      headers['content-type'] = request.contentType ?? 'application/octet-stream';
      body = request.body;
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method ?? 'GET',
        headers,
        body,
        signal: request.signal,
      });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      throw new MatrixApiError(0, 'M_CONNECTION_FAILED', `cannot reach ${url.origin}`, {
        cause: error,
      });
    }
    if (response.ok) return response;
    throw await MatrixApiError.fromResponse(response);
  }

  async json<T>(request: MatrixRequest): Promise<T> {
    const response = await this.raw(request);
    return (await response.json()) as T;
  }
}

/** Percent-encodes one path segment (room ids, user ids, event ids, txn ids). */
export const seg = (value: string): string => encodeURIComponent(value);

export const CLIENT_V3 = '/_matrix/client/v3';
