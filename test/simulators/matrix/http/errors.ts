import type { Response } from 'express';

/** A Matrix error response `{errcode, error, ...extra}` with its HTTP status. */
export class MatrixError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return { errcode: this.errcode, error: this.message, ...this.extra };
  }
}

export const forbidden = (msg: string): MatrixError => new MatrixError(403, 'M_FORBIDDEN', msg);
export const notFound = (msg: string): MatrixError => new MatrixError(404, 'M_NOT_FOUND', msg);
export const badJson = (msg: string): MatrixError => new MatrixError(400, 'M_BAD_JSON', msg);
export const invalidParam = (msg: string): MatrixError =>
  new MatrixError(400, 'M_INVALID_PARAM', msg);
export const missingParam = (msg: string): MatrixError =>
  new MatrixError(400, 'M_MISSING_PARAM', msg);
export const unrecognized = (status: 404 | 405, msg: string): MatrixError =>
  new MatrixError(status, 'M_UNRECOGNIZED', msg);

export function limitExceeded(retryAfterMs: number): MatrixError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new MatrixError(
    429,
    'M_LIMIT_EXCEEDED',
    'Too Many Requests',
    { retry_after_ms: retryAfterMs },
    { 'Retry-After': String(seconds) },
  );
}

export function sendMatrixError(res: Response, err: MatrixError): void {
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  res.status(err.status).json(err.toJSON());
}
