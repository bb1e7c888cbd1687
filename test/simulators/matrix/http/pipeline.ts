import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { SimCore } from '../core';
import { authenticate } from './auth';
import { ctx, operationId } from './context';
import { MatrixError, sendMatrixError, unrecognized } from './errors';

const RATE_LIMITED_OPS = new Set(['sendMessage', 'setRoomStateWithKey', 'redactEvent']);
const MAX_JSON_BYTES = 1024 * 1024;

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The full request path, percent-encoded as sent (also under a mounted router). */
function rawPath(req: Request): string {
  const q = req.originalUrl.indexOf('?');
  return q === -1 ? req.originalUrl : req.originalUrl.slice(0, q);
}

/** Records every homeserver request (method, path, status, user, JSON body) in the request log. */
function requestLog(core: SimCore): RequestHandler {
  return (req, res, next) => {
    const started = Date.now();
    res.on('close', () => {
      const c = ctx(res);
      const q = req.originalUrl.indexOf('?');
      core.logRequest({
        at: started,
        method: req.method,
        path: safeDecode(rawPath(req)),
        query: q === -1 ? '' : req.originalUrl.slice(q + 1),
        operationId: operationId(res),
        userId: c.requester?.userId,
        status: res.headersSent ? res.statusCode : 0,
        durationMs: Date.now() - started,
        ...(Buffer.isBuffer(c.body) || c.body === undefined ? {} : { body: c.body }),
        ...(c.fault ? { fault: c.fault } : {}),
      });
    });
    next();
  };
}

/** Finds the OpenAPI operation; wrong method on a known path -> 405 M_UNRECOGNIZED. */
function matchOperation(core: SimCore): RequestHandler {
  return (req, res, next) => {
    const m = core.openapi.match(req.method, rawPath(req));
    if (m && 'methodNotAllowed' in m) {
      sendMatrixError(
        res,
        unrecognized(405, `Method ${req.method} not allowed on ${rawPath(req)}`),
      );
      return;
    }
    if (m) {
      const c = ctx(res);
      c.ops = m.ops;
      c.pathParams = m.pathParams;
    }
    next();
  };
}

function injectFaults(core: SimCore): RequestHandler {
  return (req, res, next) => {
    const action = core.faults.pick(req.method, safeDecode(rawPath(req)), operationId(res));
    if (!action) return next();
    ctx(res).fault = `${action.rule.id}:${action.kind}`;
    if (action.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (action.kind === 'slow') {
      setTimeout(next, action.delayMs);
      return;
    }
    sendMatrixError(res, action.error);
  };
}

/** Raw bytes for media uploads, JSON (any content type, like Synapse) for everything else. */
function parseBody(core: SimCore): RequestHandler[] {
  const raw = express.raw({
    type: () => true,
    limit: Math.max(core.maxUploadBytes, MAX_JSON_BYTES) + 1,
  });
  return [
    raw,
    (req, res, next) => {
      const c = ctx(res);
      const buf: unknown = req.body;
      if (!Buffer.isBuffer(buf) || buf.length === 0) return next();
      if (c.ops?.[0]?.rawBody) {
        c.body = buf;
        return next();
      }
      if (buf.length > MAX_JSON_BYTES)
        throw new MatrixError(413, 'M_TOO_LARGE', 'Request body too large');
      try {
        c.body = JSON.parse(buf.toString('utf8')) as unknown;
      } catch {
        throw new MatrixError(400, 'M_NOT_JSON', 'Content not JSON.');
      }
      next();
    },
  ];
}

function authenticateRequest(core: SimCore): RequestHandler {
  return (req, res, next) => {
    const op = ctx(res).ops?.[0];
    if (!op) return next();
    const deps = {
      store: core.store,
      appservices: core.appservices,
      allowAccessTokenQuery: core.allowAccessTokenQuery,
    };
    if (op.auth === 'none') {
      try {
        ctx(res).requester = authenticate(req, op.auth, deps);
      } catch {
        // endpoints without security ignore bad tokens; handlers decide (e.g. /register)
      }
      return next();
    }
    ctx(res).requester = authenticate(req, op.auth, deps);
    next();
  };
}

function validateRequest(core: SimCore): RequestHandler {
  return (req, res, next) => {
    const c = ctx(res);
    if (!c.ops) return next();
    const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
    c.query = { ...query, ...core.requestValidator.validate(c.ops, c.pathParams, query, c.body) };
    next();
  };
}

function rateLimit(core: SimCore): RequestHandler {
  return (_req, res, next) => {
    const c = ctx(res);
    const op = operationId(res);
    const who = c.requester;
    if (!op || !who || !RATE_LIMITED_OPS.has(op)) return next();
    const reg = who.appservice;
    if (reg && (who.userId === core.appservices.senderUserId(reg) || reg.rate_limited === false)) {
      return next();
    }
    const err = core.rateLimiter.take(who.userId);
    if (err) return sendMatrixError(res, err);
    next();
  };
}

/** Middleware run before the homeserver routes, in order. */
export function homeserverPipeline(core: SimCore): RequestHandler[] {
  return [
    requestLog(core),
    matchOperation(core),
    injectFaults(core),
    ...parseBody(core),
    authenticateRequest(core),
    validateRequest(core),
    rateLimit(core),
  ];
}

/** Final handlers: unknown endpoint -> 404 M_UNRECOGNIZED; errors -> Matrix error JSON. */
export function notFoundHandler(req: Request, res: Response): void {
  sendMatrixError(res, unrecognized(404, `Unrecognized request: ${req.method} ${rawPath(req)}`));
}

export function errorHandler(
  err: unknown,
  _req: Request,
  res: Response,
  _next: NextFunction,
): void {
  if (err instanceof MatrixError) return sendMatrixError(res, err);
  const e = err as { type?: unknown; status?: unknown };
  if (e.type === 'entity.too.large') {
    return sendMatrixError(res, new MatrixError(413, 'M_TOO_LARGE', 'Request body too large'));
  }
  const status = typeof e.status === 'number' && e.status >= 400 ? e.status : 500;
  sendMatrixError(
    res,
    new MatrixError(status, 'M_UNKNOWN', err instanceof Error ? err.message : String(err)),
  );
}
