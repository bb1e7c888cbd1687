/**
 * HTTP client of the Echo bot API for one account. Maps the platform's answers to the gateway's
 * typed errors at the edge: 429 -> RateLimitedError, 401 -> InvalidCredentialsError, other 4xx ->
 * PermanentError, 5xx and network failures -> RetryableError.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  InvalidCredentialsError,
  PermanentError,
  RateLimitedError,
  RetryableError,
} from '../../src/core/adapter';
import type { EchoAccountInfo, EchoErrorBody, EchoSendRequest } from './echo-platform.types';

export interface DownloadedFile {
  stream: Readable;
  fileName: string;
  mimeType: string;
  sizeBytes?: number;
}

export class EchoApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 15_000,
  ) {}

  me(): Promise<EchoAccountInfo> {
    return this.json('GET', '/bot/me');
  }

  async setWebhook(url: string, secret: string): Promise<void> {
    await this.json('PUT', '/bot/webhook', { url, secret });
  }

  async deleteWebhook(): Promise<void> {
    await this.json('DELETE', '/bot/webhook');
  }

  async uploadFile(bytes: Buffer, fileName: string, mimeType: string): Promise<string> {
    const response = await this.request('POST', '/bot/files', bytes, {
      'content-type': mimeType,
      'x-file-name': encodeURIComponent(fileName),
    });
    return ((await response.json()) as { file_id: string }).file_id;
  }

  async downloadFile(fileId: string): Promise<DownloadedFile> {
    const response = await this.request('GET', `/bot/files/${encodeURIComponent(fileId)}`);
    const length = Number(response.headers.get('content-length') ?? NaN);
    const disposition = response.headers.get('content-disposition') ?? '';
    const encodedName = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
    return {
      stream: response.body
        ? Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>)
        : Readable.from([]),
      fileName: encodedName ? decodeURIComponent(encodedName) : fileId,
      mimeType: response.headers.get('content-type') ?? 'application/octet-stream',
      sizeBytes: Number.isFinite(length) ? length : undefined,
    };
  }

  async sendMessage(request: EchoSendRequest): Promise<string> {
    return (await this.json<{ message_id: string }>('POST', '/bot/messages', request)).message_id;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? {} : { 'content-type': 'application/json' },
    );
    return (await response.json()) as T;
  }

  private async request(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl.replace(/\/+$/, '') + path, {
        method,
        headers: { ...headers, authorization: `Bearer ${this.token}` },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new RetryableError(`Echo platform unreachable: ${String(error)}`, undefined, {
        cause: error,
      });
    }
    if (response.ok) return response;
    throw await toGatewayError(response);
  }
}

async function toGatewayError(response: Response): Promise<Error> {
  const body = await readErrorBody(response);
  const description = body?.description ?? `HTTP ${response.status}`;
  if (response.status === 429) {
    const seconds = body?.retry_after ?? Number(response.headers.get('retry-after') ?? NaN);
    const retryAfterMs = Number.isFinite(seconds) ? seconds * 1000 : undefined;
    return new RateLimitedError(`Echo rate limit: ${description}`, retryAfterMs);
  }
  if (response.status === 401) {
    return new InvalidCredentialsError('Echo rejected the token', { code: body?.error });
  }
  if (response.status >= 400 && response.status < 500) {
    return new PermanentError(humanReason(body, description), { code: body?.error });
  }
  return new RetryableError(`Echo platform error: ${description}`);
}

function humanReason(body: EchoErrorBody | undefined, description: string): string {
  switch (body?.error) {
    case 'recipient_blocked':
      return `The customer blocked this Echo account (${description})`;
    case 'chat_not_found':
      return 'The Echo conversation no longer exists';
    case 'too_large':
      return 'The file is too large for Echo';
    default:
      return `Echo refused the message: ${description}`;
  }
}

async function readErrorBody(response: Response): Promise<EchoErrorBody | undefined> {
  try {
    const body: unknown = await response.json();
    return body && typeof body === 'object' ? (body as EchoErrorBody) : undefined;
  } catch {
    return undefined;
  }
}
