import { type Request, type Response, Router } from 'express';
import type { SimContext } from './context';
import type { SimControl } from './control';
import { HubSpotError, validationError } from './errors';
import type { FaultInjector } from './faults';
import { FILE_USAGE_TYPES, type FileUsageType } from './messaging';
import { isObject } from './openapi-docs';
import type { RateLimiter } from './rate-limit';
import type { RoutingSettings } from './types';

function body(req: Request): Record<string, unknown> {
  return isObject(req.body) ? req.body : {};
}

function optStr(b: Record<string, unknown>, k: string): string | undefined {
  const v = b[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number')
    throw validationError(`${k} must be a string`);
  return String(v);
}

function reqStr(b: Record<string, unknown>, k: string): string {
  const v = optStr(b, k);
  if (v === undefined || v === '') throw validationError(`${k} is required`);
  return v;
}

function optNum(b: Record<string, unknown>, k: string): number | undefined {
  const v = b[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw validationError(`${k} must be a number`);
  return v;
}

function usageTypeOf(value: unknown, where: string): FileUsageType {
  const type = FILE_USAGE_TYPES.find((t) => t === value);
  if (!type) throw validationError(`${where} must be one of ${FILE_USAGE_TYPES.join(', ')}`);
  return type;
}

function strArray(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map(String) : undefined;
}

/** Loopback-only control API (no auth). See README.md for the reference. */
export function controlRouter(
  ctx: SimContext,
  control: SimControl,
  faults: FaultInjector,
  rateLimiter: RateLimiter,
): Router {
  const r = Router();

  r.post('/__sim/portals', (req: Request, res: Response) => {
    const b = body(req);
    res.status(201).json(
      control.createPortal({
        portalId: optStr(b, 'portalId'),
        scopes: strArray(b.scopes),
        redirectUri: optStr(b, 'redirectUri'),
        issueTokens: b.issueTokens === true,
        inboxes: Array.isArray(b.inboxes)
          ? (b.inboxes as { name: string; type: 'INBOX' | 'HELP_DESK' }[])
          : undefined,
        owners: Array.isArray(b.owners)
          ? (b.owners as {
              userId?: number;
              firstName?: string;
              lastName?: string;
              email?: string;
              teams?: string[];
            }[])
          : undefined,
      }),
    );
  });

  r.post('/__sim/portals/:portalId/owners', (req: Request, res: Response) => {
    const b = body(req);
    res.status(201).json(
      control.addOwner(String(req.params.portalId), {
        userId: optNum(b, 'userId'),
        firstName: optStr(b, 'firstName'),
        lastName: optStr(b, 'lastName'),
        email: optStr(b, 'email'),
        teams: strArray(b.teams),
      }),
    );
  });

  r.post('/__sim/portals/:portalId/uninstall', (req: Request, res: Response) => {
    control.uninstall(String(req.params.portalId));
    res.status(204).end();
  });

  r.post('/__sim/tokens/expire', (req: Request, res: Response) => {
    const b = body(req);
    res.json({
      expired: control.expireAccessTokens({
        portalId: optStr(b, 'portalId'),
        accessToken: optStr(b, 'accessToken'),
      }),
    });
  });

  r.post('/__sim/contacts', (req: Request, res: Response) => {
    const b = body(req);
    res.status(201).json(
      control.seedContact({
        portalId: reqStr(b, 'portalId'),
        email: optStr(b, 'email'),
        phone: optStr(b, 'phone'),
        mobilephone: optStr(b, 'mobilephone'),
        firstname: optStr(b, 'firstname'),
        lastname: optStr(b, 'lastname'),
        ownerId: optStr(b, 'ownerId'),
      }),
    );
  });

  r.post('/__sim/files', (req: Request, res: Response) => {
    const b = body(req);
    const f = control.uploadFile({
      portalId: reqStr(b, 'portalId'),
      name: reqStr(b, 'name'),
      contentType: optStr(b, 'contentType') ?? 'application/octet-stream',
      content: Buffer.from(reqStr(b, 'contentBase64'), 'base64'),
      access: optStr(b, 'access'),
      folderPath: optStr(b, 'folderPath'),
    });
    const { diskPath: _d, ...rest } = f;
    res.status(201).json(rest);
  });

  r.post('/__sim/threads/:threadId/reply', (req: Request, res: Response) => {
    const b = body(req);
    const threadId = String(req.params.threadId);
    const thread = ctx.state.threads.get(threadId);
    const fileIds = strArray(b.fileIds) ?? [];
    const fileUsageTypes: Record<string, FileUsageType> = {};
    if (b.fileUsageTypes !== undefined) {
      if (!isObject(b.fileUsageTypes)) throw validationError('fileUsageTypes must be an object');
      for (const [fileId, type] of Object.entries(b.fileUsageTypes)) {
        fileUsageTypes[fileId] = usageTypeOf(type, `fileUsageTypes.${fileId}`);
      }
    }
    if (Array.isArray(b.attachments)) {
      for (const a of b.attachments) {
        if (!isObject(a) || !thread)
          throw validationError('attachments[] must be {name, contentType, contentBase64}');
        const id = control.uploadFile({
          portalId: thread.portalId,
          name: reqStr(a, 'name'),
          contentType: optStr(a, 'contentType') ?? 'application/octet-stream',
          content: Buffer.from(reqStr(a, 'contentBase64'), 'base64'),
          access: optStr(a, 'access'),
        }).id;
        fileIds.push(id);
        if (a.fileUsageType !== undefined) {
          fileUsageTypes[id] = usageTypeOf(a.fileUsageType, 'attachments[].fileUsageType');
        }
      }
    }
    const { message, delivery } = control.agentReply(threadId, {
      text: reqStr(b, 'text'),
      richText: optStr(b, 'richText'),
      fileIds,
      inReplyToId: optStr(b, 'inReplyToId'),
      userId: optNum(b, 'userId'),
      fileUsageTypes,
    });
    res.status(201).json({ message, webhookDeliveryId: delivery.id });
  });

  r.patch('/__sim/threads/:threadId', (req: Request, res: Response) => {
    const status = optStr(body(req), 'status');
    if (status !== 'OPEN' && status !== 'CLOSED')
      throw validationError('status must be OPEN or CLOSED');
    control.setThreadStatus(String(req.params.threadId), status);
    res.json(ctx.state.threads.get(String(req.params.threadId)));
  });

  const connectInput = (b: Record<string, unknown>) => ({
    portalId: reqStr(b, 'portalId'),
    inboxId: optStr(b, 'inboxId'),
    userId: optNum(b, 'userId'),
    routing: isObject(b.routing) ? (b.routing as Partial<RoutingSettings>) : undefined,
    follow: b.follow === false ? false : undefined,
  });

  r.post('/__sim/channels/:channelId/connect-url', (req: Request, res: Response) => {
    res.status(201).json(control.connectUrl(String(req.params.channelId), connectInput(body(req))));
  });

  r.post('/__sim/channels/:channelId/connect', async (req: Request, res: Response) => {
    res.json(await control.connect(String(req.params.channelId), connectInput(body(req))));
  });

  /** redirectUrl given to the integration: the admin's browser lands here after connecting. */
  r.get('/__sim/ui/connect/complete', (req: Request, res: Response) => {
    const token = typeof req.query.accountToken === 'string' ? req.query.accountToken : '';
    try {
      const { account } = control.completeConnect(token);
      res
        .status(200)
        .type('html')
        .send(
          `<!doctype html><title>Connected</title><h1 id="connected">Connected</h1><p>Channel account <span id="channel-account-id">${account.id}</span> (${account.name.replace(/[<>&"]/g, '')}) is connected.</p>`,
        );
    } catch (e) {
      const status = e instanceof HubSpotError ? e.httpStatus : 500;
      res
        .status(status)
        .type('html')
        .send(
          `<!doctype html><title>Connection failed</title><h1 id="failed">Connection failed</h1><p>${String(e instanceof Error ? e.message : e).replace(/[<>&"]/g, '')}</p>`,
        );
    }
  });

  r.put('/__sim/channel-accounts/:id/routing', (req: Request, res: Response) => {
    const b = body(req);
    const routing: Partial<RoutingSettings> = {};
    if (isObject(b.ticketProperties))
      routing.ticketProperties = Object.fromEntries(
        Object.entries(b.ticketProperties).map(([k, v]) => [k, String(v)]),
      );
    if (isObject(b.assignment)) {
      const t = b.assignment.type;
      if (t !== 'NONE' && t !== 'USERS_AND_TEAMS' && t !== 'CONTACT_OWNER')
        throw validationError('assignment.type must be NONE, USERS_AND_TEAMS or CONTACT_OWNER');
      routing.assignment = b.assignment as unknown as RoutingSettings['assignment'];
    }
    res.json(control.setRouting(String(req.params.id), routing));
  });

  const accountAction = (
    name: string,
    fn: (id: string, b: Record<string, unknown>) => { id: string },
  ) =>
    r.post(`/__sim/channel-accounts/:id/${name}`, (req: Request, res: Response) => {
      const delivery = fn(String(req.params.id), body(req));
      res.json({
        channelAccount: ctx.state.channelAccounts.get(String(req.params.id)),
        webhookDeliveryId: delivery.id,
      });
    });
  accountAction('deactivate', (id) => control.deactivateAccount(id));
  accountAction('reactivate', (id) => control.reactivateAccount(id));
  accountAction('rename', (id, b) => control.renameAccount(id, reqStr(b, 'name')));
  accountAction('archive', (id, b) => control.archiveAccount(id, b.purgedEvent === true));

  r.get('/__sim/state', (_req: Request, res: Response) => {
    res.json(ctx.state.snapshot());
  });
  const listing = (name: string) =>
    r.get(`/__sim/${name}`, (_req: Request, res: Response) => {
      res.json(ctx.state.snapshot()[name]);
    });
  [
    'threads',
    'messages',
    'tickets',
    'contacts',
    'files',
    'associations',
    'webhooks',
    'requests',
    'channels',
    'channelAccounts',
  ].forEach(listing);

  r.post('/__sim/webhooks/idle', async (_req: Request, res: Response) => {
    await ctx.webhooks.idle();
    res.json({ idle: true });
  });

  r.get('/__sim/faults', (_req: Request, res: Response) => {
    res.json(faults.list());
  });
  r.post('/__sim/faults', (req: Request, res: Response) => {
    const b = body(req);
    res.status(201).json(
      faults.add({
        id: optStr(b, 'id'),
        method: optStr(b, 'method'),
        path: reqStr(b, 'path'),
        status: optNum(b, 'status'),
        delayMs: optNum(b, 'delayMs'),
        drop: b.drop === true,
        probability: optNum(b, 'probability'),
        count: optNum(b, 'count'),
      }),
    );
  });
  r.delete('/__sim/faults/:id', (req: Request, res: Response) => {
    res.status(faults.remove(String(req.params.id)) ? 204 : 404).end();
  });
  r.delete('/__sim/faults', (_req: Request, res: Response) => {
    faults.clear();
    res.status(204).end();
  });

  r.get('/__sim/rate-limit', (_req: Request, res: Response) => {
    res.json(rateLimiter.config);
  });
  r.put('/__sim/rate-limit', (req: Request, res: Response) => {
    const b = body(req);
    rateLimiter.config = {
      ...rateLimiter.config,
      ...(typeof b.enabled === 'boolean' ? { enabled: b.enabled } : {}),
      ...(typeof b.max === 'number' ? { max: b.max } : {}),
      ...(typeof b.intervalMs === 'number' ? { intervalMs: b.intervalMs } : {}),
      ...(typeof b.retryAfterHeader === 'boolean' ? { retryAfterHeader: b.retryAfterHeader } : {}),
    };
    rateLimiter.reset();
    res.json(rateLimiter.config);
  });

  r.get('/__sim/app', (_req: Request, res: Response) => {
    const o = ctx.options;
    res.json({
      appId: o.appId,
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      developerApiKey: o.developerApiKey,
      baseUrl: ctx.baseUrl,
    });
  });

  return r;
}
