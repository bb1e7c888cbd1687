import type { Request, Response } from 'express';
import { validateCapabilities } from '../capabilities';
import { notFound } from '../errors';
import { channelFor } from '../messaging';
import { presentChannel } from '../presenters';
import type { Capabilities, Channel } from '../types';
import { channelPaths, paginate, type RouteKit, route } from './route';

interface ChannelBody {
  name?: string;
  webhookUrl?: string;
  channelAccountConnectionRedirectUrl?: string;
  channelDescription?: string;
  channelLogoUrl?: string;
  capabilities?: Capabilities;
}

/** Channel definitions (spec 3): developer API key, global to the app. */
export function registerChannelRoutes(kit: RouteKit): void {
  const { ctx } = kit;
  const list = [
    ...channelPaths(''),
    '/conversations/custom-channels/v3',
    '/conversations/v3/custom-channels/',
  ];
  // Document path first so validation and scope lookup use the document's operation.
  list.unshift(list.splice(2, 1)[0]);

  route(kit, 'post', list, 'developerWithApp', (req: Request, res: Response) => {
    const body = req.body as ChannelBody & { name: string; capabilities: Capabilities };
    validateCapabilities(body.capabilities, ctx.options.rejectUnknownCapabilities);
    const channel: Channel = {
      id: ctx.state.nextId('channel', 1000),
      name: body.name,
      webhookUrl: body.webhookUrl,
      channelAccountConnectionRedirectUrl: body.channelAccountConnectionRedirectUrl,
      channelDescription: body.channelDescription,
      channelLogoUrl: body.channelLogoUrl,
      capabilities: body.capabilities,
      createdAt: new Date().toISOString(),
      archived: false,
    };
    ctx.state.channels.set(channel.id, channel);
    res.location(`${ctx.baseUrl}/conversations/v3/custom-channels/${channel.id}`);
    res.status(201).json(presentChannel(channel));
  });

  route(kit, 'get', list, 'developerWithApp', (req: Request, res: Response) => {
    const all = [...ctx.state.channels.values()].filter((c) => !c.archived);
    const page = paginate(all, req.query.after, req.query.limit ?? req.query.defaultPageLength);
    res.json({ ...page, results: page.results.map(presentChannel), total: all.length });
  });

  route(kit, 'get', channelPaths('/{channelId}'), 'developer', (req: Request, res: Response) => {
    res.json(presentChannel(channelFor(ctx, String(req.params.channelId))));
  });

  route(kit, 'patch', channelPaths('/{channelId}'), 'developer', (req: Request, res: Response) => {
    const channel = channelFor(ctx, String(req.params.channelId));
    const body = req.body as ChannelBody;
    // UNCLEAR whether HubSpot merges capabilities (spec 3.2): the simulator replaces them.
    if (body.capabilities !== undefined) {
      validateCapabilities(body.capabilities, ctx.options.rejectUnknownCapabilities);
      channel.capabilities = body.capabilities;
    }
    for (const k of [
      'name',
      'webhookUrl',
      'channelAccountConnectionRedirectUrl',
      'channelDescription',
      'channelLogoUrl',
    ] as const) {
      if (body[k] !== undefined) channel[k] = body[k];
    }
    res.json(presentChannel(channel));
  });

  route(kit, 'delete', channelPaths('/{channelId}'), 'developer', (req: Request, res: Response) => {
    const channel = ctx.state.channels.get(String(req.params.channelId));
    if (!channel || channel.archived)
      throw notFound(`Channel ${String(req.params.channelId)} does not exist`);
    channel.archived = true;
    // UNCLEAR what happens to accounts (spec 4.1); the simulator archives them silently.
    for (const a of ctx.state.channelAccounts.values()) {
      if (a.channelId === channel.id && !a.archived) {
        a.archived = true;
        a.active = false;
        a.archivedAt = new Date().toISOString();
      }
    }
    res.status(204).end();
  });
}
