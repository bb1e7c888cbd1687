import { randomBytes } from 'node:crypto';

/** URL-safe random identifier (A-Za-z0-9_-), as used by room-v4+ event ids and media ids. */
export function randomId(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}

export function newEventId(): string {
  return `$${randomId(24)}`;
}

export function newRoomId(serverName: string): string {
  return `!${randomId(12)}:${serverName}`;
}

export function newMediaId(): string {
  return randomId(18);
}

export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}

export function newDeviceId(): string {
  return randomBytes(5).toString('hex').toUpperCase();
}

/** `@local:server` -> `local`, tolerates a bare localpart. */
export function localpartOf(userIdOrLocalpart: string): string {
  if (!userIdOrLocalpart.startsWith('@')) return userIdOrLocalpart;
  const colon = userIdOrLocalpart.indexOf(':');
  return colon === -1 ? userIdOrLocalpart.slice(1) : userIdOrLocalpart.slice(1, colon);
}

export function toUserId(userIdOrLocalpart: string, serverName: string): string {
  return userIdOrLocalpart.startsWith('@')
    ? userIdOrLocalpart
    : `@${userIdOrLocalpart}:${serverName}`;
}
