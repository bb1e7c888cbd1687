import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parseBasicAuth } from './auth';
import type { SimulatorStore } from './store';
import type { RequestLogEntry } from './types';

/** Records every REST request (method, path, query, parsed body, auth user, outcome). */
export function requestLog(store: SimulatorStore): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const entry: RequestLogEntry = {
      id: store.nextId(),
      at: new Date(),
      method: req.method,
      path: req.path,
      query: { ...(req.query as Record<string, unknown>) },
      body: null,
      contentType: req.headers['content-type'] ?? null,
      authUser: parseBasicAuth(req.headers.authorization)?.user ?? null,
      userAgent: req.headers['user-agent'] ?? null,
      status: null,
      errorCode: null,
      fault: null,
    };
    store.requests.push(entry);
    res.locals.logEntry = entry;
    const finish = (): void => {
      entry.body = req.body ?? null;
      entry.status = res.headersSent ? res.statusCode : null;
      const code: unknown = res.locals.twilioErrorCode;
      entry.errorCode = typeof code === 'number' ? code : null;
    };
    res.on('finish', finish);
    res.on('close', finish);
    next();
  };
}
