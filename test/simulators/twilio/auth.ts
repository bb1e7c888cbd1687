import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SimContext } from './context';
import { errors } from './errors';
import { sendTwilioError } from './http-errors';
import { MEDIA_CONTENT_PATH } from './routes-media';
import type { Account } from './types';

const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/([^/]+?)(?:\.json)?(?:\/|$)/;

export function parseBasicAuth(
  header: string | undefined,
): { user: string; password: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Account SID + Auth Token, or API key SID (SK…) + secret of the account in the path. */
export function authenticate(
  ctx: SimContext,
  accountSid: string,
  header: string | undefined,
): Account | null {
  const creds = parseBasicAuth(header);
  const account = ctx.store.accounts.get(accountSid);
  if (!creds || !account) return null;
  if (creds.user === account.sid && creds.password === account.authToken) return account;
  const key = account.apiKeys.find((k) => k.sid === creds.user);
  return key && key.secret === creds.password ? account : null;
}

export function accountOf(res: Response): Account {
  const account: unknown = res.locals.account;
  if (!account) throw new Error('route used without authentication');
  return account as Account;
}

/**
 * HTTP Basic auth for everything under /2010-04-01/Accounts/{Sid}: 401 / 20003 otherwise.
 * Also enforces the per-account concurrent request limit (429 / 20429).
 */
export function twilioAuth(ctx: SimContext): RequestHandler {
  const inFlight = new Map<string, number>();
  return (req: Request, res: Response, next: NextFunction) => {
    if (!ctx.options.mediaAuth && req.method === 'GET' && MEDIA_CONTENT_PATH.test(req.path))
      return next();
    const match = ACCOUNT_PATH.exec(req.path);
    if (!match) return sendTwilioError(res, errors.notFound(req.path));
    const account = authenticate(ctx, decodeURIComponent(match[1]), req.headers.authorization);
    if (!account) return sendTwilioError(res, errors.authenticate());
    res.locals.account = account;
    const current = (inFlight.get(account.sid) ?? 0) + 1;
    if (current > ctx.options.maxConcurrentRequests)
      return sendTwilioError(res, errors.tooManyRequests());
    inFlight.set(account.sid, current);
    res.on('close', () => inFlight.set(account.sid, (inFlight.get(account.sid) ?? 1) - 1));
    next();
  };
}
