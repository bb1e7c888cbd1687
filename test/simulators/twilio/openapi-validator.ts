import type { RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { defaultOpenApiFile, loadTwilioOpenApi } from './openapi-document';
import { twilioFormats } from './openapi-formats';

type ApiSpec = Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'];

/**
 * express-openapi-validator 5.6.2 over Twilio's official document. Request validation only
 * (the document's response schemas declare relative page URIs as `format: uri`, which real
 * Twilio responses would fail too). Security is checked by our own Twilio-shaped auth middleware
 * before this runs; paths outside the document (control API, media content) pass through.
 */
const cache = new Map<string, RequestHandler[]>();

/** The validator holds no per-simulator state, so one instance per document is shared (its ajv compile is the slow part). */
export function twilioRequestValidator(
  openApiFile: string = defaultOpenApiFile(),
): RequestHandler[] {
  const cached = cache.get(openApiFile);
  if (cached) return cached;
  const handlers = createValidator(openApiFile);
  cache.set(openApiFile, handlers);
  return handlers;
}

function createValidator(openApiFile: string): RequestHandler[] {
  const apiSpec = loadTwilioOpenApi(openApiFile) as unknown as ApiSpec;
  return OpenApiValidator.middleware({
    apiSpec,
    validateApiSpec: false,
    validateRequests: { allowUnknownQueryParameters: true, coerceTypes: 'array', allErrors: true },
    validateResponses: false,
    validateSecurity: false,
    ignoreUndocumented: true,
    formats: twilioFormats,
  }) as unknown as RequestHandler[];
}
