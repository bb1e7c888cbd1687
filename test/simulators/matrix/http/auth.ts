import type { Request } from 'express';
import type { AppserviceRegistry } from '../appservice/registry';
import type { AuthRequirement } from '../spec/openapi-index';
import type { SimStore } from '../state/store';
import { asString } from '../util/json';
import type { Requester } from './context';
import { forbidden, MatrixError } from './errors';

export interface AuthDeps {
  store: SimStore;
  appservices: AppserviceRegistry;
  allowAccessTokenQuery: boolean;
}

function tokenOf(req: Request, allowQuery: boolean): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new MatrixError(401, 'M_MISSING_TOKEN', 'Invalid Authorization header');
    return m[1];
  }
  const q = asString(req.query.access_token);
  return allowQuery ? q : undefined;
}

/**
 * Resolves the requester: an ordinary access token, or an application service's `as_token` with
 * optional identity assertion (`?user_id=`, `?device_id=`).
 */
export function authenticate(
  req: Request,
  auth: AuthRequirement,
  deps: AuthDeps,
): Requester | undefined {
  const token = tokenOf(req, deps.allowAccessTokenQuery);
  if (token === undefined) {
    if (auth === 'user' || auth === 'appservice') {
      throw new MatrixError(401, 'M_MISSING_TOKEN', 'Missing access token');
    }
    return undefined;
  }
  const reg = deps.appservices.byToken(token);
  if (reg) {
    const userId = asString(req.query.user_id) ?? deps.appservices.senderUserId(reg);
    if (!deps.appservices.ownsUser(reg, userId)) {
      throw forbidden(`Application service cannot masquerade as ${userId}`);
    }
    const user = deps.store.users.get(userId);
    if (!user) throw forbidden(`Application service has not registered ${userId}`);
    const deviceId = asString(req.query.device_id);
    if (deviceId !== undefined && !user.devices.has(deviceId)) {
      throw new MatrixError(
        400,
        'M_UNKNOWN_DEVICE',
        `Device ${deviceId} does not belong to ${userId}`,
      );
    }
    return {
      userId,
      deviceId,
      token,
      scope: `as:${reg.id}:${userId}:${deviceId ?? ''}`,
      appservice: reg,
    };
  }
  if (auth === 'appservice') throw forbidden('This endpoint needs an application service token');
  const session = deps.store.sessions.get(token);
  if (!session) {
    throw new MatrixError(401, 'M_UNKNOWN_TOKEN', 'Unrecognised access token', {
      soft_logout: false,
    });
  }
  return {
    userId: session.userId,
    deviceId: session.deviceId,
    token,
    scope: `dev:${session.userId}:${session.deviceId}`,
  };
}
