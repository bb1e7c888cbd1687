import type { ErrorRequestHandler, RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenApiValidatorOpts } from 'express-openapi-validator/dist/framework/types';
import { HubSpotError, type ErrorDetail, sendError, validationError } from './errors';
import { isObject, type LoadedDoc, mergeOpenApiDocs } from './openapi-docs';
import { memoizeValidatorRouteMatching } from './route-matcher-cache';

/**
 * One express-openapi-validator instance over the merged HubSpot documents. It validates every
 * documented request: path parameters, query parameters (unknown ones rejected), content type
 * and body. Paths no document describes (control API) are ignored.
 */
const cache = new Map<string, RequestHandler[]>();

/**
 * Builds (or reuses, for simulators started with the same documents in one process) the
 * validator middleware; initialisation costs seconds, validation itself is fast.
 */
export function buildOpenApiValidators(
  docs: LoadedDoc[],
  served: Set<string>,
  cacheKey: string,
): RequestHandler[] {
  const key = `${cacheKey}|${[...served].sort().join(',')}`;
  const cached = cache.get(key);
  if (cached) return cached;
  memoizeValidatorRouteMatching();
  const handlers: RequestHandler[] = [];
  cache.set(key, handlers);
  {
    const opts: OpenApiValidatorOpts = {
      apiSpec: mergeOpenApiDocs(docs, served) as unknown as OpenApiValidatorOpts['apiSpec'],
      validateApiSpec: false,
      validateRequests: { allErrors: true, allowUnknownQueryParameters: false },
      validateResponses: false,
      validateSecurity: false,
      ignoreUndocumented: true,
      // Multipart bodies are streamed by busboy in routes/files.ts (never buffered).
      fileUploader: false,
    };
    handlers.push(...(OpenApiValidator.middleware(opts) as RequestHandler[]));
  }
  return handlers;
}

function errorCode(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  return raw.replace('.openapi.validation', '').toUpperCase();
}

function toDetails(errors: unknown): ErrorDetail[] {
  if (!Array.isArray(errors)) return [];
  return errors.filter(isObject).map((e) => {
    const p = typeof e.path === 'string' ? e.path : '';
    const where = p.replace(/^\/(body|query|params|headers)\/?/, '').replace(/^\./, '');
    const kind = /^\/(body|query|params|headers)/.exec(p)?.[1];
    const detail: ErrorDetail = {
      message: `${where ? `${where}: ` : ''}${typeof e.message === 'string' ? e.message : 'invalid'}`,
    };
    if (where) detail.in = where;
    const code = errorCode(e.errorCode);
    if (code) detail.code = code;
    if (kind) detail.context = { location: [kind === 'params' ? 'path' : kind] };
    return detail;
  });
}

/** Turns validator and body-parser errors into HubSpot's error body; everything else is a 500. */
export const hubSpotErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (err instanceof HubSpotError) return sendError(res, err);
  if (isObject(err) && typeof err.status === 'number') {
    const status = err.status;
    if (err.type === 'entity.parse.failed') {
      return sendError(res, validationError('Invalid input JSON on line 1: could not parse body'));
    }
    if (err.type === 'entity.too.large') {
      return sendError(res, new HubSpotError(413, 'VALIDATION_ERROR', 'Request body too large'));
    }
    const message = typeof err.message === 'string' ? err.message : 'Invalid request';
    const details = toDetails(err.errors);
    if (status === 400) {
      return sendError(
        res,
        validationError(
          `Invalid input (details will vary based on the error): ${message}`,
          details.length > 0 ? details : undefined,
        ),
      );
    }
    if (status === 404) return sendError(res, new HubSpotError(404, 'OBJECT_NOT_FOUND', message));
    if (status === 405) return sendError(res, new HubSpotError(405, 'METHOD_NOT_ALLOWED', message));
    if (status === 415) {
      return sendError(
        res,
        new HubSpotError(415, 'VALIDATION_ERROR', message, { errors: details }),
      );
    }
  }
  const message = err instanceof Error ? err.message : 'internal error';
  sendError(res, new HubSpotError(500, 'INTERNAL_ERROR', `Internal error: ${message}`));
};
