import type { RequestHandler, Router } from 'express';
import { requireDeveloperKey, requirePortalToken } from '../auth';
import type { SimContext } from '../context';

export type AuthKind = 'portal' | 'developer' | 'developerWithApp' | 'none';
export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** Shared middleware every API route runs after authentication. */
export interface RouteKit {
  ctx: SimContext;
  router: Router;
  /** Filled after all routes are registered (built only for the served operations). */
  validators: RequestHandler[];
  rateLimit: RequestHandler;
  /** `method path` of every served document operation. */
  served: Set<string>;
}

/** Runs a middleware list that may be filled after registration. */
export function chainOf(handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let i = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined && err !== null) return next(err);
      const h = handlers[i++];
      if (!h) return next();
      try {
        const r: unknown = h(req, res, step);
        if (r instanceof Promise) r.catch(step);
      } catch (e) {
        step(e);
      }
    };
    step();
  };
}

/** `/a/{id}` -> `/a/:id` (express 5 / path-to-regexp 8). */
export function expressPath(docPath: string): string {
  return docPath.replace(/\{([^}]+)\}/g, ':$1');
}

/**
 * Registers one HubSpot operation under all its paths (the first is the document path used for
 * scope lookup). Order: authentication -> rate limit -> OpenAPI validation -> handler, so that a
 * request with bad credentials gets 401 before any 400.
 */
export function route(
  kit: RouteKit,
  method: Method,
  docPaths: string[],
  auth: AuthKind,
  handler: RequestHandler,
): void {
  const chain: RequestHandler[] = [];
  if (auth === 'portal') chain.push(requirePortalToken(kit.ctx, docPaths[0], method));
  if (auth === 'developer') chain.push(requireDeveloperKey(kit.ctx, false));
  if (auth === 'developerWithApp') chain.push(requireDeveloperKey(kit.ctx, true));
  chain.push(kit.rateLimit, encodeQueryCommas, chainOf(kit.validators), handler);
  for (const p of docPaths) {
    kit.served.add(`${method} ${p}`);
    kit.router[method](expressPath(p), ...chain);
  }
}

/**
 * HubSpot accepts comma-separated lists in array query parameters (`properties=subject,content`,
 * as in its own guides), while the documents declare form/explode arrays and the validator treats
 * a raw comma as an unencoded reserved character. Encode the commas so the value validates as one
 * string; handlers split it again.
 */
export const encodeQueryCommas: RequestHandler = (req, _res, next) => {
  const i = req.url.indexOf('?');
  if (i >= 0 && req.url.includes(',', i)) {
    req.url = req.url.slice(0, i) + req.url.slice(i).replace(/,/g, '%2C');
    const j = req.originalUrl.indexOf('?');
    if (j >= 0)
      req.originalUrl = req.originalUrl.slice(0, j) + req.originalUrl.slice(j).replace(/,/g, '%2C');
  }
  next();
};

/** Both custom-channel path styles (spec 2). */
export function channelPaths(suffix: string): string[] {
  return [
    `/conversations/v3/custom-channels${suffix}`,
    `/conversations/custom-channels/2026-03${suffix}`,
  ];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

export function paramOf(params: Record<string, unknown>, name: string): string {
  return String(params[name] ?? '');
}

/** Cursor paging over an array: `after` is the offset as a string, like HubSpot's opaque cursor. */
export function paginate<T>(
  items: T[],
  after: unknown,
  limit: unknown,
  defaultLimit = 100,
): {
  results: T[];
  paging?: { next: { after: string } };
} {
  const start = Math.max(0, Number(str(after) || after || 0) || 0);
  const n = Math.max(1, Math.min(1000, Number(limit ?? defaultLimit) || defaultLimit));
  const results = items.slice(start, start + n);
  const next = start + n < items.length ? { next: { after: String(start + n) } } : undefined;
  return next ? { results, paging: next } : { results };
}
