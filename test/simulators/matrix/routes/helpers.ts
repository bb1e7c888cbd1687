import type { Request, Response } from 'express';
import { ctx } from '../http/context';
import { asRecord, asString, type JsonObject } from '../util/json';

/** The validated JSON body (an object, or `{}` when none was sent). */
export function jsonBody(res: Response): JsonObject {
  return asRecord(ctx(res).body);
}

/** A decoded path parameter (express decodes `%21room%3Aserver`). */
export function param(req: Request, name: string): string {
  const v: unknown = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

/** A (validated, coerced) query parameter. */
export function query(res: Response, name: string): unknown {
  return ctx(res).query[name];
}

export function queryString(res: Response, name: string): string | undefined {
  const v = query(res, name);
  return Array.isArray(v) ? asString(v[v.length - 1]) : asString(v);
}
