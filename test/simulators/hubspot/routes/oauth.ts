import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { HubSpotError } from '../errors';
import { createPortal, issueCode, issueTokens } from '../portals';
import { type RouteKit, route, str } from './route';

/** HubSpot's OAuth error body: `status` carries the error code (e.g. BAD_REFRESH_TOKEN). */
function oauthError(res: Response, code: string, message: string, httpStatus = 400): void {
  res
    .status(httpStatus)
    .json({ status: code, message, correlationId: randomUUID(), requestId: randomUUID() });
}

export function registerOAuthRoutes(kit: RouteKit): void {
  const { ctx } = kit;

  /**
   * Simulated consent page (app.hubspot.com/oauth/authorize): auto-approves and redirects to
   * redirect_uri with ?code=...&state=... . Sim-only query `portalId` picks the portal
   * (default: the most recently created portal, or a new one).
   */
  kit.router.get('/oauth/authorize', (req: Request, res: Response) => {
    const clientId = str(req.query.client_id);
    const redirectUri = str(req.query.redirect_uri);
    const scope = str(req.query.scope);
    if (clientId !== ctx.options.clientId) {
      throw new HubSpotError(400, 'VALIDATION_ERROR', `Unknown client_id ${clientId}`);
    }
    if (scope.trim() === '') {
      throw new HubSpotError(400, 'VALIDATION_ERROR', 'scope is required (space-separated scopes)');
    }
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      throw new HubSpotError(400, 'VALIDATION_ERROR', 'redirect_uri must be an absolute URL');
    }
    const wanted = str(req.query.portalId);
    let portalId = wanted && ctx.state.portals.has(wanted) ? wanted : undefined;
    if (!portalId && wanted) portalId = createPortal(ctx, { portalId: wanted }).portal.id;
    if (!portalId) portalId = [...ctx.state.portals.keys()].pop() ?? createPortal(ctx).portal.id;
    const portal = ctx.state.portals.get(portalId);
    if (portal) portal.installed = true;
    const scopes = [...scope.split(/[ +]/), ...str(req.query.optional_scope).split(/[ +]/)].filter(
      Boolean,
    );
    const code = issueCode(ctx, portalId, redirectUri, scopes);
    target.searchParams.set('code', code.code);
    const state = str(req.query.state);
    if (state) target.searchParams.set('state', state);
    res.redirect(302, target.toString());
  });

  route(kit, 'post', ['/oauth/v1/token'], 'none', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const clientId = body.client_id;
    const clientSecret = body.client_secret ?? str(req.query.client_secret);
    if (clientId !== ctx.options.clientId)
      return oauthError(res, 'BAD_CLIENT_ID', 'missing or unknown client id');
    if (clientSecret !== ctx.options.clientSecret) {
      return oauthError(res, 'BAD_CLIENT_SECRET', 'missing or invalid client secret');
    }
    if (body.grant_type === 'authorization_code') {
      const code = ctx.state.codes.get(body.code ?? '');
      if (!code || code.used || code.expiresAt <= ctx.now()) {
        return oauthError(res, 'BAD_AUTH_CODE', 'missing or unknown auth code');
      }
      if (body.redirect_uri !== code.redirectUri) {
        return oauthError(
          res,
          'BAD_REDIRECT_URI',
          'redirect_uri does not match the one used to authorize',
        );
      }
      code.used = true;
      const t = issueTokens(ctx, code.portalId, code.scopes, code.userId);
      return res.json(
        tokenResponse(
          t.token,
          t.refreshToken,
          ctx.options.accessTokenTtlSeconds,
          code.portalId,
          t.scopes,
          t.userId,
        ),
      );
    }
    if (body.grant_type === 'refresh_token') {
      const rt = ctx.state.refreshTokens.get(body.refresh_token ?? str(req.query.refresh_token));
      if (!rt || rt.revoked)
        return oauthError(res, 'BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      const portal = ctx.state.portals.get(rt.portalId);
      if (!portal?.installed)
        return oauthError(res, 'BAD_REFRESH_TOKEN', 'the app was uninstalled from this portal');
      const t = issueTokens(ctx, rt.portalId, rt.scopes, rt.userId, rt.token);
      return res.json(
        tokenResponse(
          t.token,
          rt.token,
          ctx.options.accessTokenTtlSeconds,
          rt.portalId,
          rt.scopes,
          rt.userId,
        ),
      );
    }
    return oauthError(res, 'BAD_GRANT_TYPE', `unsupported grant_type ${String(body.grant_type)}`);
  });

  route(kit, 'get', ['/oauth/v1/access-tokens/{token}'], 'none', (req: Request, res: Response) => {
    const t = ctx.state.accessTokens.get(String(req.params.token));
    if (!t || t.expiresAt <= ctx.now()) {
      throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'Token not found or expired');
    }
    const portal = ctx.state.portals.get(t.portalId);
    res.json({
      token: t.token,
      user:
        ctx.state.ownersOf(t.portalId).find((o) => o.userId === t.userId)?.email ??
        `user-${t.userId}@sim.example`,
      hub_domain: portal?.hubDomain,
      scopes: t.scopes,
      hub_id: Number(t.portalId),
      app_id: ctx.options.appId,
      expires_in: Math.max(0, Math.floor((t.expiresAt - ctx.now()) / 1000)),
      user_id: t.userId,
      token_type: 'access',
      is_private_distribution: false,
    });
  });

  route(kit, 'get', ['/oauth/v1/refresh-tokens/{token}'], 'none', (req: Request, res: Response) => {
    const rt = ctx.state.refreshTokens.get(String(req.params.token));
    if (!rt || rt.revoked)
      throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'Refresh token not found');
    res.json({
      token: rt.token,
      user: `user-${rt.userId}@sim.example`,
      hub_domain: ctx.state.portals.get(rt.portalId)?.hubDomain,
      scopes: rt.scopes,
      hub_id: Number(rt.portalId),
      client_id: ctx.options.clientId,
      user_id: rt.userId,
      token_type: 'refresh',
    });
  });

  route(
    kit,
    'delete',
    ['/oauth/v1/refresh-tokens/{token}'],
    'none',
    (req: Request, res: Response) => {
      const rt = ctx.state.refreshTokens.get(String(req.params.token));
      if (!rt || rt.revoked)
        throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'Refresh token not found');
      rt.revoked = true;
      res.status(204).end();
    },
  );
}

function tokenResponse(
  accessToken: string,
  refreshToken: string,
  expiresIn: number,
  portalId: string,
  scopes: string[],
  userId: number,
): Record<string, unknown> {
  return {
    access_token: accessToken,
    refresh_token: refreshToken,
    expires_in: expiresIn,
    token_type: 'bearer',
    token_use: 'access_token',
    hub_id: Number(portalId),
    scopes,
    user_id: userId,
  };
}
