import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SimContext } from './context';
import { errors } from './errors';
import { sendTwilioError } from './http-errors';
import type { RequestLogEntry } from './types';

/** Applies `api` fault rules to authenticated requests (a `slow` request holds its concurrency slot). */
export function apiFaults(ctx: SimContext): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const fault = ctx.faults.take({ target: 'api', method: req.method, path: req.path });
    if (!fault) return next();
    const entry = res.locals.logEntry as RequestLogEntry | undefined;
    if (entry) entry.fault = `${fault.id}:${fault.kind}`;
    switch (fault.kind) {
      case 'slow':
        ctx.scheduler.after(fault.delayMs ?? 1000, () => next());
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case '429':
        return sendTwilioError(res, errors.tooManyRequests());
      default:
        return sendTwilioError(res, errors.internal(Number(fault.kind)));
    }
  };
}
