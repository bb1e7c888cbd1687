import type { Response } from 'express';
import type { Operation } from '../spec/openapi-index';
import type { AppserviceRegistration } from '../types';

export interface Requester {
  userId: string;
  deviceId?: string;
  token: string;
  /** Transaction-id scope: one device (or AS + asserted user + device). */
  scope: string;
  appservice?: AppserviceRegistration;
}

/** Per-request data gathered by the middleware pipeline, kept in `res.locals.matrix`. */
export interface RequestContext {
  ops?: Operation[];
  pathParams: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  requester?: Requester;
  fault?: string;
}

export function ctx(res: Response): RequestContext {
  const existing: unknown = res.locals.matrix;
  if (existing && typeof existing === 'object') return existing as RequestContext;
  const created: RequestContext = { pathParams: {}, query: {}, body: undefined };
  res.locals.matrix = created;
  return created;
}

export function operationId(res: Response): string | undefined {
  return ctx(res).ops?.[0]?.operationId;
}

/** The authenticated requester; route handlers only run after auth succeeded. */
export function requester(res: Response): Requester {
  const r = ctx(res).requester;
  if (!r) throw new Error('route needs an authenticated requester');
  return r;
}
