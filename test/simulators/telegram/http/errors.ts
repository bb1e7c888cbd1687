/** ResponseParameters as Telegram attaches them to some errors. */
export interface ErrorParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** An error that is answered with Telegram's `{ok:false,error_code,description,parameters?}` envelope. */
export class TelegramApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ErrorParameters,
  ) {
    super(description);
    this.name = 'TelegramApiError';
  }

  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
    };
    if (this.parameters) body.parameters = this.parameters;
    return body;
  }
}

export const badRequest = (detail: string, parameters?: ErrorParameters): TelegramApiError =>
  new TelegramApiError(400, `Bad Request: ${detail}`, parameters);

export const forbidden = (detail: string): TelegramApiError =>
  new TelegramApiError(403, `Forbidden: ${detail}`);

export const unauthorized = (): TelegramApiError => new TelegramApiError(401, 'Unauthorized');

export const notFound = (): TelegramApiError => new TelegramApiError(404, 'Not Found');

export const conflict = (detail: string): TelegramApiError =>
  new TelegramApiError(409, `Conflict: ${detail}`);

export const tooManyRequests = (retryAfter: number): TelegramApiError =>
  new TelegramApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
    retry_after: retryAfter,
  });

export const entityTooLarge = (): TelegramApiError =>
  new TelegramApiError(413, 'Request Entity Too Large');

export const internalError = (code = 500): TelegramApiError =>
  new TelegramApiError(code, code === 502 ? 'Bad Gateway' : 'Internal Server Error');
