import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completeConnect, startConnect } from './connect';
import type { SimContext } from './context';
import { HubSpotError, notFound, validationError } from './errors';
import { emitAccountEvent } from './events';
import { createContact } from './helpdesk';
import { agentReply, type AgentReplyInput } from './messaging';
import {
  addOwner,
  createPortal,
  issueCode,
  issueTokens,
  type OwnerSeed,
  type PortalSeed,
} from './portals';
import { storeFile } from './routes/files';
import { setThreadStatus } from './routes/conversations';
import type {
  ChannelAccount,
  Contact,
  Inbox,
  Message,
  Owner,
  RoutingSettings,
  StoredFile,
  WebhookDelivery,
} from './types';

export interface CreatePortalInput extends PortalSeed {
  scopes?: string[];
  /** Redirect URI bound to the returned authorization code. */
  redirectUri?: string;
  /** Also issue tokens directly (skipping the OAuth code exchange). */
  issueTokens?: boolean;
}

export interface CreatedPortalInfo {
  portalId: string;
  hubDomain: string;
  inboxes: Inbox[];
  owners: Owner[];
  authorizationCode: string;
  redirectUri: string;
  scopes: string[];
  accessToken?: string;
  refreshToken?: string;
  expiresIn?: number;
}

export interface UploadInput {
  portalId: string;
  name: string;
  contentType: string;
  /** File bytes (programmatic) or base64 (control API). */
  content: Buffer;
  access?: string;
  folderPath?: string;
}

export interface ConnectInput {
  portalId: string;
  inboxId?: string;
  userId?: number;
  routing?: Partial<RoutingSettings>;
  /** Follow the integration's redirect to redirectUrl and complete the connection (default true). */
  follow?: boolean;
}

export interface HttpAnswer {
  url: string;
  status: number;
  location?: string;
  body: string;
}

export interface ConnectResult {
  accountToken: string;
  connectUrl: string;
  redirectUrl: string;
  /** Every HTTP answer of the integration while following its redirects. */
  responses: HttpAnswer[];
  completed: boolean;
  channelAccount?: Record<string, unknown>;
  webhookDeliveryId?: string;
  error?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The simulator-only operations behind /__sim/* and the programmatic API. */
export class SimControl {
  constructor(private readonly ctx: SimContext) {}

  createPortal(input: CreatePortalInput = {}): CreatedPortalInfo {
    const { portal, inboxes, owners } = createPortal(this.ctx, input);
    const scopes = input.scopes ?? this.ctx.options.defaultScopes;
    const redirectUri = input.redirectUri ?? 'http://127.0.0.1/oauth/callback';
    const code = issueCode(this.ctx, portal.id, redirectUri, scopes);
    const info: CreatedPortalInfo = {
      portalId: portal.id,
      hubDomain: portal.hubDomain,
      inboxes,
      owners,
      authorizationCode: code.code,
      redirectUri,
      scopes,
    };
    if (input.issueTokens) {
      const t = issueTokens(this.ctx, portal.id, scopes, code.userId);
      info.accessToken = t.token;
      info.refreshToken = t.refreshToken;
      info.expiresIn = this.ctx.options.accessTokenTtlSeconds;
    }
    return info;
  }

  addOwner(portalId: string, seed: OwnerSeed): Owner {
    this.portal(portalId);
    return addOwner(this.ctx, portalId, seed);
  }

  /** The app is uninstalled: tokens stop working, refresh answers BAD_REFRESH_TOKEN. */
  uninstall(portalId: string): void {
    this.portal(portalId).installed = false;
    for (const rt of this.ctx.state.refreshTokens.values())
      if (rt.portalId === portalId) rt.revoked = true;
  }

  /** Expire access tokens now (all, or one portal's, or one token). Returns how many. */
  expireAccessTokens(filter: { portalId?: string; accessToken?: string } = {}): number {
    let n = 0;
    for (const t of this.ctx.state.accessTokens.values()) {
      if (filter.portalId && t.portalId !== filter.portalId) continue;
      if (filter.accessToken && t.token !== filter.accessToken) continue;
      t.expiresAt = this.ctx.now() - 1;
      n++;
    }
    return n;
  }

  seedContact(input: {
    portalId: string;
    email?: string;
    phone?: string;
    mobilephone?: string;
    firstname?: string;
    lastname?: string;
    ownerId?: string;
  }): Contact {
    this.portal(input.portalId);
    if (input.ownerId && !this.ctx.state.owners.has(input.ownerId))
      throw notFound(`Owner ${input.ownerId} does not exist`);
    const { portalId, ...fields } = input;
    return createContact(this.ctx, portalId, fields);
  }

  uploadFile(input: UploadInput): StoredFile {
    this.portal(input.portalId);
    const diskPath = path.join(this.ctx.filesDir, `control-${this.ctx.state.nextId('upload', 0)}`);
    fs.writeFileSync(diskPath, input.content);
    return storeFile(this.ctx, input.portalId, {
      diskPath,
      filename: input.name,
      contentType: input.contentType,
      size: input.content.length,
      md5: createHash('md5').update(input.content).digest('hex'),
      access: input.access ?? 'PRIVATE',
      folderPath: input.folderPath ?? '/conversations',
    });
  }

  agentReply(
    threadId: string,
    input: AgentReplyInput,
  ): { message: Message; delivery: WebhookDelivery } {
    return agentReply(this.ctx, threadId, input);
  }

  setThreadStatus(threadId: string, status: 'OPEN' | 'CLOSED'): void {
    const t = this.ctx.state.threads.get(threadId);
    if (!t) throw notFound(`Thread ${threadId} does not exist`);
    setThreadStatus(this.ctx.options.closeTicketWithThread, t, status, (id) =>
      this.ctx.state.tickets.get(id),
    );
  }

  connectUrl(
    channelId: string,
    input: ConnectInput,
  ): { accountToken: string; connectUrl: string; redirectUrl: string } {
    const { accountToken, connectUrl, redirectUrl } = startConnect(this.ctx, channelId, input);
    return { accountToken, connectUrl, redirectUrl };
  }

  /** Finalises a staging token as if the admin's browser arrived at redirectUrl. */
  completeConnect(accountToken: string): { account: ChannelAccount; delivery: WebhookDelivery } {
    return completeConnect(this.ctx, accountToken);
  }

  /**
   * Plays the admin connecting an account (spec 4.3): opens channelAccountConnectionRedirectUrl,
   * follows the integration's redirects on loopback until it reaches redirectUrl, then finalises.
   */
  async connect(channelId: string, input: ConnectInput): Promise<ConnectResult> {
    const start = this.connectUrl(channelId, input);
    const result: ConnectResult = { ...start, responses: [], completed: false };
    let url = start.connectUrl;
    for (let hop = 0; hop < 6; hop++) {
      if (url.startsWith(start.redirectUrl.split('?')[0])) {
        if (input.follow === false) return result;
        try {
          const { account, delivery } = this.completeConnect(start.accountToken);
          result.completed = true;
          result.channelAccount = { ...account };
          result.webhookDeliveryId = delivery.id;
        } catch (e) {
          result.error = e instanceof Error ? e.message : String(e);
        }
        return result;
      }
      if (!LOOPBACK.has(new URL(url).hostname)) {
        result.error = `refusing to open non-loopback URL ${url}`;
        return result;
      }
      let answer: HttpAnswer;
      try {
        const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
        const location = res.headers.get('location') ?? undefined;
        answer = {
          url,
          status: res.status,
          ...(location ? { location: new URL(location, url).toString() } : {}),
          body: (await res.text()).slice(0, 4000),
        };
      } catch (e) {
        result.error = `GET ${url} failed: ${e instanceof Error ? e.message : String(e)}`;
        return result;
      }
      result.responses.push(answer);
      if (answer.status < 300 || answer.status >= 400 || !answer.location) {
        result.error = `integration answered ${answer.status} without redirecting to redirectUrl`;
        return result;
      }
      url = answer.location;
    }
    result.error = 'too many redirects';
    return result;
  }

  setRouting(accountId: string, routing: Partial<RoutingSettings>): ChannelAccount {
    const a = this.account(accountId);
    a.routing = { ...a.routing, ...routing };
    return a;
  }

  /** Admin disconnects the account in HubSpot: authorized=false, CHANNEL_ACCOUNT_UPDATED. */
  deactivateAccount(accountId: string): WebhookDelivery {
    const a = this.account(accountId);
    a.authorized = false;
    a.active = false;
    return emitAccountEvent(this.ctx, 'CHANNEL_ACCOUNT_UPDATED', a);
  }

  reactivateAccount(accountId: string): WebhookDelivery {
    const a = this.account(accountId);
    if (a.archived) throw validationError(`Channel account ${accountId} is archived`);
    a.authorized = true;
    a.active = true;
    return emitAccountEvent(this.ctx, 'CHANNEL_ACCOUNT_UPDATED', a);
  }

  renameAccount(accountId: string, name: string): WebhookDelivery {
    const a = this.account(accountId);
    a.name = name;
    return emitAccountEvent(this.ctx, 'CHANNEL_ACCOUNT_UPDATED', a);
  }

  /**
   * Admin removes the account. The event is UNCLEAR (spec 7.3): CHANNEL_ACCOUNT_UPDATED with
   * archived=true by default, CHANNEL_ACCOUNT_PURGED when `purgedEvent` is set.
   */
  archiveAccount(accountId: string, purgedEvent = false): WebhookDelivery {
    const a = this.account(accountId);
    a.archived = true;
    a.active = false;
    a.authorized = false;
    a.archivedAt = new Date().toISOString();
    return emitAccountEvent(
      this.ctx,
      purgedEvent ? 'CHANNEL_ACCOUNT_PURGED' : 'CHANNEL_ACCOUNT_UPDATED',
      a,
    );
  }

  private portal(portalId: string) {
    const p = this.ctx.state.portals.get(portalId);
    if (!p) throw notFound(`Portal ${portalId} does not exist`);
    return p;
  }

  private account(accountId: string): ChannelAccount {
    const a = this.ctx.state.channelAccounts.get(accountId);
    if (!a)
      throw new HubSpotError(
        404,
        'OBJECT_NOT_FOUND',
        `Channel account ${accountId} does not exist`,
      );
    return a;
  }
}
