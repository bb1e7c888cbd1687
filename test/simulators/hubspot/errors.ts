import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

export interface ErrorDetail {
  message: string;
  in?: string;
  code?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
}

/** HubSpot's standard error body (spec 11.2); `status:"error"` as most endpoints add it. */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: ErrorDetail[];
  links?: Record<string, string>;
}

/** Thrown by handlers; turned into a HubSpot-shaped JSON error by the error middleware. */
export class HubSpotError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly category: string,
    message: string,
    readonly extra: Partial<Omit<HubSpotErrorBody, 'status' | 'message' | 'category'>> = {},
  ) {
    super(message);
  }
}

export const validationError = (message: string, errors?: ErrorDetail[], subCategory?: string) =>
  new HubSpotError(400, 'VALIDATION_ERROR', message, { errors, subCategory });

export const notFound = (message: string) => new HubSpotError(404, 'OBJECT_NOT_FOUND', message);

export const conflict = (message: string) => new HubSpotError(409, 'CONFLICT', message);

export function correlationIdOf(res: Response): string {
  const existing: unknown = res.locals.correlationId;
  if (typeof existing === 'string') return existing;
  const id = randomUUID();
  res.locals.correlationId = id;
  return id;
}

export function errorBody(err: HubSpotError, correlationId: string): HubSpotErrorBody {
  return {
    status: 'error',
    message: err.message,
    correlationId,
    category: err.category,
    ...err.extra,
  };
}

export function sendError(res: Response, err: HubSpotError): void {
  if (res.headersSent) return;
  res.status(err.httpStatus).json(errorBody(err, correlationIdOf(res)));
}
