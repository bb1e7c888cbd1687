import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SimContext } from './context';
import { HubSpotError, validationError } from './errors';
import { scopeAlternatives } from './openapi-docs';
import type { AccessToken } from './types';

const SCOPES_LINK = 'https://developers.hubspot.com/scopes';

function bearerOf(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : '';
}

export function portalIdOf(res: Response): string {
  const v: unknown = res.locals.portalId;
  if (typeof v !== 'string') throw new Error('portal token middleware did not run');
  return v;
}

export function tokenOf(res: Response): AccessToken {
  return res.locals.accessToken as AccessToken;
}

/**
 * Portal endpoints: `Authorization: Bearer <OAuth access token>` (spec 1.3). Missing or unknown
 * tokens -> 401 INVALID_AUTHENTICATION, expired -> 401 EXPIRED_AUTHENTICATION, a token without
 * any of the operation's scope alternatives (read from the OpenAPI security) -> 403 MISSING_SCOPES.
 */
export function requirePortalToken(
  ctx: SimContext,
  docPath: string,
  method: string,
): RequestHandler {
  const alternatives = scopeAlternatives(ctx.docs, docPath, method);
  return (req: Request, res: Response, next: NextFunction) => {
    const raw = bearerOf(req);
    if (raw === undefined || raw === '') {
      const viaKey = typeof req.query.hapikey === 'string';
      throw new HubSpotError(
        401,
        'INVALID_AUTHENTICATION',
        viaKey
          ? 'This endpoint does not accept developer API keys; use an OAuth access token.'
          : 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    const token = ctx.state.accessTokens.get(raw);
    if (!token) {
      throw new HubSpotError(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    const now = ctx.now();
    if (token.expiresAt <= now) {
      const mins = Math.max(1, Math.round((now - token.expiresAt) / 60000));
      throw new HubSpotError(
        401,
        'EXPIRED_AUTHENTICATION',
        `The OAuth token used to make this call expired ${mins} minute(s) ago.`,
      );
    }
    const portal = ctx.state.portals.get(token.portalId);
    if (!portal || !portal.installed) {
      throw new HubSpotError(
        401,
        'INVALID_AUTHENTICATION',
        'The app is not installed in this portal.',
      );
    }
    if (ctx.options.enforceScopes && alternatives) {
      const ok = alternatives.some((alt) => alt.every((s) => token.scopes.includes(s)));
      if (!ok) {
        const required = [...new Set(alternatives.flat())];
        throw new HubSpotError(
          403,
          'MISSING_SCOPES',
          `This app hasn't been granted all required scopes to make this call. Read more about required scopes here: ${SCOPES_LINK}.`,
          {
            errors: [
              {
                message: 'One or more of the following scopes are required.',
                context: { requiredGranularScopes: required },
              },
            ],
            links: { scopes: SCOPES_LINK },
          },
        );
      }
    }
    res.locals.portalId = token.portalId;
    res.locals.accessToken = token;
    next();
  };
}

/**
 * Channel-definition endpoints: developer API key in `hapikey`; `appId` required on create and
 * list (spec 1.3). Bearer tokens are not accepted there.
 */
export function requireDeveloperKey(ctx: SimContext, needsAppId: boolean): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const key = req.query.hapikey;
    if (typeof key !== 'string' || key === '') {
      throw new HubSpotError(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This endpoint requires a developer API key in the hapikey query parameter.',
      );
    }
    if (key !== ctx.options.developerApiKey) {
      throw new HubSpotError(
        401,
        'INVALID_AUTHENTICATION',
        'The API key provided is invalid. View or manage your API key here: https://app.hubspot.com/l/api-key/',
      );
    }
    const appId = req.query.appId;
    if (needsAppId && (appId === undefined || appId === '')) {
      throw validationError('appId is required', [{ message: 'appId is required', in: 'appId' }]);
    }
    if (appId !== undefined && String(appId) !== String(ctx.options.appId)) {
      throw new HubSpotError(
        403,
        'MISSING_SCOPES',
        `The developer API key does not own app ${String(appId)}.`,
      );
    }
    next();
  };
}
