import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { apiFaults } from './api-faults';
import { twilioAuth } from './auth';
import type { SimContext } from './context';
import { errors, TwilioApiError } from './errors';
import { sendTwilioError } from './http-errors';
import { servedPathTemplate } from './openapi-document';
import { twilioRequestValidator } from './openapi-validator';
import { requestLog } from './request-log';
import { accountRoutes } from './routes-accounts';
import { mediaRoutes } from './routes-media';
import { messageRoutes } from './routes-messages';
import { isValidatorError, toTwilioError } from './validation-errors';

/**
 * The 2010-04-01 REST API: request log -> form parsing -> Basic auth (20003) and
 * concurrency (20429) -> injected faults -> OpenAPI request validation -> handlers -> Twilio-shaped errors.
 */
export function twilioApi(ctx: SimContext, openApiFile?: string): Router {
  const api = Router();
  api.use(requestLog(ctx.store));
  api.use(express.urlencoded({ extended: false, limit: '1mb' }));
  api.use(twilioAuth(ctx));
  api.use(apiFaults(ctx));
  api.use(...twilioRequestValidator(openApiFile));
  api.use(accountRoutes(ctx));
  api.use(messageRoutes(ctx));
  api.use(mediaRoutes(ctx));
  api.use((req: Request) => {
    throw servedPathTemplate(req.path)
      ? errors.methodNotAllowed(req.method)
      : errors.notFound(req.path);
  });
  api.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof TwilioApiError) return sendTwilioError(res, err);
    if (isValidatorError(err))
      return sendTwilioError(res, toTwilioError(err, req.path, req.method, req.body));
    const message = err instanceof Error ? err.message : String(err);
    const status =
      typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    if (status >= 400 && status < 500)
      return sendTwilioError(res, errors.invalidParameter(message));
    sendTwilioError(res, errors.internal(500));
  });
  return api;
}
