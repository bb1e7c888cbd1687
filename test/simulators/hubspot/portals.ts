import type { SimContext } from './context';
import { SimState } from './state';
import type { AccessToken, AuthorizationCode, Inbox, InboxType, Owner, Portal } from './types';

export interface OwnerSeed {
  userId?: number;
  email?: string;
  firstName?: string;
  lastName?: string;
  /** Team names; the first is the owner's main team. */
  teams?: string[];
}

export interface PortalSeed {
  portalId?: string;
  inboxes?: { name: string; type: InboxType }[];
  owners?: OwnerSeed[];
}

export interface CreatedPortal {
  portal: Portal;
  inboxes: Inbox[];
  owners: Owner[];
}

/** Creates a portal with the app installed, an INBOX and a HELP_DESK, and two owners in a team. */
export function createPortal(ctx: SimContext, seed: PortalSeed = {}): CreatedPortal {
  const { state } = ctx;
  const id = seed.portalId ?? state.nextId('portal', 20_000_000);
  const now = new Date().toISOString();
  const portal: Portal = {
    id,
    hubDomain: `sim-${id}.hubspot.test`,
    createdAt: now,
    installed: true,
  };
  state.portals.set(id, portal);
  const inboxSeeds = seed.inboxes ?? [
    { name: 'Inbox', type: 'INBOX' as const },
    { name: 'Help Desk', type: 'HELP_DESK' as const },
  ];
  const inboxes = inboxSeeds.map((s) => {
    const inbox: Inbox = {
      id: state.nextId('inbox', 300_000),
      portalId: id,
      name: s.name,
      type: s.type,
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    state.inboxes.set(inbox.id, inbox);
    return inbox;
  });
  const ownerSeeds = seed.owners ?? [
    { firstName: 'Alice', lastName: 'Agent', teams: ['Support'] },
    { firstName: 'Bob', lastName: 'Agent', teams: ['Support'] },
  ];
  const owners = ownerSeeds.map((s) => addOwner(ctx, id, s));
  return { portal, inboxes, owners };
}

export function addOwner(ctx: SimContext, portalId: string, s: OwnerSeed): Owner {
  const { state } = ctx;
  const teamIds = (s.teams ?? []).map((name) => {
    const existing = [...state.teams.values()].find(
      (t) => t.portalId === portalId && t.name === name,
    );
    if (existing) return existing.id;
    const team = { id: state.nextId('team', 6_000), portalId, name };
    state.teams.set(team.id, team);
    return team.id;
  });
  const userId = s.userId ?? Number(state.nextId('user', 1_000_000));
  const firstName = s.firstName ?? 'Agent';
  const lastName = s.lastName ?? String(userId);
  const owner: Owner = {
    id: state.nextId('owner', 40_000_000),
    portalId,
    userId,
    email: s.email ?? `${firstName}.${lastName}.${userId}@sim.example`.toLowerCase(),
    firstName,
    lastName,
    teamIds,
    archived: false,
    createdAt: new Date().toISOString(),
  };
  state.owners.set(owner.id, owner);
  return owner;
}

export function issueCode(
  ctx: SimContext,
  portalId: string,
  redirectUri: string,
  scopes: string[],
  userId?: number,
): AuthorizationCode {
  const code: AuthorizationCode = {
    code: SimState.randomToken('code-', 16),
    portalId,
    clientId: ctx.options.clientId,
    redirectUri,
    scopes,
    userId: userId ?? firstUserId(ctx, portalId),
    expiresAt: ctx.now() + ctx.options.authorizationCodeTtlSeconds * 1000,
    used: false,
  };
  ctx.state.codes.set(code.code, code);
  return code;
}

function firstUserId(ctx: SimContext, portalId: string): number {
  return ctx.state.ownersOf(portalId)[0]?.userId ?? 1;
}

/** Issues an access token for a refresh token (creating the refresh token when absent). */
export function issueTokens(
  ctx: SimContext,
  portalId: string,
  scopes: string[],
  userId: number,
  refreshToken?: string,
): AccessToken {
  const refresh =
    refreshToken ?? `${SimState.randomToken('na1-', 4)}-${SimState.randomToken('', 16)}`;
  if (!ctx.state.refreshTokens.has(refresh)) {
    ctx.state.refreshTokens.set(refresh, {
      token: refresh,
      portalId,
      scopes,
      userId,
      revoked: false,
    });
  }
  const token: AccessToken = {
    // Real tokens vary in length (up to ~300 chars, spec 1.4); make ours long too.
    token: `CN${SimState.randomToken('', 90)}`,
    portalId,
    scopes,
    userId,
    expiresAt: ctx.now() + ctx.options.accessTokenTtlSeconds * 1000,
    refreshToken: refresh,
  };
  ctx.state.accessTokens.set(token.token, token);
  return token;
}
