/**
 * The homeserver → appservice requests of appservice mode: hs_token authentication and which
 * endpoint a request is for (application-service API, `/_matrix/app/v1`, plus the legacy paths).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AdapterWebhookRequest, AdapterWebhookResponse } from '../../src/core/adapter';

export type AppserviceRoute =
  | { kind: 'transaction'; txnId: string }
  | { kind: 'ping' }
  /** A request the gateway answers right away (user/alias queries, unknown paths). */
  | { kind: 'answer'; response: AdapterWebhookResponse };

const TXN_PATH = /^(?:\/_matrix\/app\/v1)?\/transactions\/([^/]+)$/;
/** "Does this user / alias exist?": the gateway creates neither on demand. */
const QUERY_PATH = /^(?:\/_matrix\/app\/v1)?\/(users|rooms)\/[^/]+$/;

const error = (status: number, errcode: string, message: string): AdapterWebhookResponse => ({
  status,
  body: { errcode, error: message },
});

/**
 * Checks the hs_token (spec "Authorization", v1.4): none → 401 `M_MISSING_TOKEN`; one that does
 * not match → 403 `M_FORBIDDEN`. The legacy `?access_token=` is accepted, and when a request
 * carries both forms both must match. Undefined means authenticated.
 */
export function rejectUnlessHsToken(
  request: AdapterWebhookRequest,
  hsToken: string | undefined,
): AdapterWebhookResponse | undefined {
  const header = request.headers.authorization;
  const fromHeader = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  const fromQuery = request.query.access_token;
  const given = [fromHeader, fromQuery].filter((token): token is string => !!token);
  if (given.length === 0) {
    return error(401, 'M_MISSING_TOKEN', 'Missing hs_token');
  }
  if (!hsToken || !given.every((token) => sameSecret(token, hsToken))) {
    return error(403, 'M_FORBIDDEN', 'Bad hs_token');
  }
  return undefined;
}

export function routeAppserviceRequest(request: AdapterWebhookRequest): AppserviceRoute {
  const path = request.subPath;
  const transaction = TXN_PATH.exec(path);
  if (transaction) {
    if (request.method !== 'PUT') return methodNotAllowed();
    return { kind: 'transaction', txnId: decodeURIComponent(transaction[1]) };
  }
  if (path === '/_matrix/app/v1/ping') {
    return request.method === 'POST' ? { kind: 'ping' } : methodNotAllowed();
  }
  const query = QUERY_PATH.exec(path);
  if (query) {
    if (request.method !== 'GET') return methodNotAllowed();
    const what = query[1] === 'users' ? 'user' : 'room alias';
    return {
      kind: 'answer',
      response: error(404, 'M_NOT_FOUND', `The gateway does not create this ${what}`),
    };
  }
  return { kind: 'answer', response: error(404, 'M_UNRECOGNIZED', 'Unrecognized request') };
}

function methodNotAllowed(): AppserviceRoute {
  return { kind: 'answer', response: error(405, 'M_UNRECOGNIZED', 'Unrecognized request') };
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
