import type { EchoErrorBody, EchoErrorCode } from './echo-platform.types';

/** An error the Echo platform answers with its `{ok:false,error,description}` envelope. */
export class EchoPlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: EchoErrorCode,
    readonly description: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
    this.name = 'EchoPlatformError';
  }

  toBody(): EchoErrorBody {
    const body: EchoErrorBody = { ok: false, error: this.code, description: this.description };
    if (this.retryAfterSeconds !== undefined) body.retry_after = this.retryAfterSeconds;
    return body;
  }
}

export const badRequest = (description: string): EchoPlatformError =>
  new EchoPlatformError(400, 'bad_request', description);

export const notFound = (code: EchoErrorCode, description: string): EchoPlatformError =>
  new EchoPlatformError(404, code, description);
