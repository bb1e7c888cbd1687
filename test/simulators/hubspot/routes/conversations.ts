import type { Request, Response } from 'express';
import { portalIdOf } from '../auth';
import { notFound, validationError } from '../errors';
import { agentReply } from '../messaging';
import { presentAccount, presentInbox, presentMessage, presentThread } from '../presenters';
import type { Thread } from '../types';
import { paginate, type RouteKit, route } from './route';

const P = '/conversations/v3/conversations';
const asArray = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

/** Conversations API v3 subset (spec 10.1): inboxes, threads, thread messages, accounts, actors. */
export function registerConversationRoutes(kit: RouteKit): void {
  const { ctx } = kit;

  route(kit, 'get', [`${P}/inboxes`], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const archived = String(req.query.archived) === 'true';
    const all = [...ctx.state.inboxes.values()].filter(
      (i) => i.portalId === portalId && i.archived === archived,
    );
    const page = paginate(all, req.query.after, req.query.limit ?? req.query.defaultPageLength);
    res.json({ ...page, results: page.results.map(presentInbox), total: all.length });
  });

  route(kit, 'get', [`${P}/inboxes/{inboxId}`], 'portal', (req: Request, res: Response) => {
    const i = ctx.state.inboxes.get(String(req.params.inboxId));
    if (!i || i.portalId !== portalIdOf(res))
      throw notFound(`Inbox ${String(req.params.inboxId)} does not exist`);
    res.json(presentInbox(i));
  });

  route(kit, 'get', [`${P}/channel-accounts`], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const channelIds = asArray(req.query.channelId);
    const inboxIds = asArray(req.query.inboxId);
    const archived = String(req.query.archived) === 'true';
    const all = [...ctx.state.channelAccounts.values()].filter(
      (a) =>
        a.portalId === portalId &&
        a.archived === archived &&
        (channelIds.length === 0 || channelIds.includes(a.channelId)) &&
        (inboxIds.length === 0 || inboxIds.includes(a.inboxId)),
    );
    const page = paginate(all, req.query.after, req.query.limit);
    res.json({ ...page, results: page.results.map(presentAccount), total: all.length });
  });

  route(
    kit,
    'get',
    [`${P}/channel-accounts/{channelAccountId}`],
    'portal',
    (req: Request, res: Response) => {
      const a = ctx.state.channelAccounts.get(String(req.params.channelAccountId));
      if (!a || a.portalId !== portalIdOf(res))
        throw notFound(`Channel account ${String(req.params.channelAccountId)} does not exist`);
      res.json(presentAccount(a));
    },
  );

  const findThread = (req: Request, res: Response): Thread => {
    const t = ctx.state.threads.get(String(req.params.threadId));
    if (!t || t.portalId !== portalIdOf(res))
      throw notFound(`Thread ${String(req.params.threadId)} does not exist`);
    return t;
  };
  const wantsTicket = (req: Request) => asArray(req.query.association).includes('TICKET');

  route(kit, 'get', [`${P}/threads`], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const inboxIds = asArray(req.query.inboxId);
    const q = req.query;
    const archived = String(q.archived) === 'true';
    const all = [...ctx.state.threads.values()].filter(
      (t) =>
        t.portalId === portalId &&
        t.archived === archived &&
        (inboxIds.length === 0 || inboxIds.includes(t.inboxId)) &&
        (q.threadStatus === undefined || t.status === q.threadStatus) &&
        (q.associatedContactId === undefined ||
          t.associatedContactId === String(q.associatedContactId)) &&
        (q.associatedTicketId === undefined || t.ticketId === String(q.associatedTicketId)),
    );
    const page = paginate(all, q.after, q.limit);
    res.json({ ...page, results: page.results.map((t) => presentThread(t, wantsTicket(req))) });
  });

  route(kit, 'get', [`${P}/threads/{threadId}`], 'portal', (req: Request, res: Response) => {
    const t = findThread(req, res);
    if (t.archived && String(req.query.archived) !== 'true')
      throw notFound(`Thread ${t.id} is archived`);
    res.json(presentThread(t, wantsTicket(req)));
  });

  route(kit, 'patch', [`${P}/threads/{threadId}`], 'portal', (req: Request, res: Response) => {
    const t = findThread(req, res);
    const body = req.body as { status?: 'OPEN' | 'CLOSED'; archived?: boolean };
    if (body.status === undefined && body.archived === undefined) {
      throw validationError('Provide status or archived', [
        { message: 'status or archived is required', in: 'status' },
      ]);
    }
    if (body.archived === false) t.archived = false;
    if (body.status)
      setThreadStatus(ctx.options.closeTicketWithThread, t, body.status, (id) =>
        ctx.state.tickets.get(id),
      );
    res.json(presentThread(t, false));
  });

  route(kit, 'delete', [`${P}/threads/{threadId}`], 'portal', (req: Request, res: Response) => {
    findThread(req, res).archived = true;
    res.status(204).end();
  });

  route(
    kit,
    'get',
    [`${P}/threads/{threadId}/messages`],
    'portal',
    (req: Request, res: Response) => {
      const t = findThread(req, res);
      const all = [...ctx.state.messages.values()].filter((m) => m.conversationsThreadId === t.id);
      const page = paginate(all, req.query.after, req.query.limit);
      res.json({ ...page, results: page.results.map(presentMessage) });
    },
  );

  route(
    kit,
    'get',
    [`${P}/threads/{threadId}/messages/{messageId}`],
    'portal',
    (req: Request, res: Response) => {
      const t = findThread(req, res);
      const m = ctx.state.messages.get(String(req.params.messageId));
      if (!m || m.conversationsThreadId !== t.id)
        throw notFound(`Message ${String(req.params.messageId)} does not exist`);
      res.json(presentMessage(m));
    },
  );

  /** An agent message through the API (type MESSAGE) goes out over the channel like a UI reply. */
  route(
    kit,
    'post',
    [`${P}/threads/{threadId}/messages`],
    'portal',
    (req: Request, res: Response) => {
      const t = findThread(req, res);
      const body = req.body as {
        type?: string;
        text?: string;
        richText?: string;
        senderActorId?: string;
        attachments?: { fileId?: string }[];
      };
      if (body.type !== 'MESSAGE') {
        throw validationError('Only type MESSAGE is simulated', [
          { message: 'unsupported type', in: 'type' },
        ]);
      }
      const userId = body.senderActorId?.startsWith('A-')
        ? Number(body.senderActorId.slice(2))
        : undefined;
      const fileIds = (body.attachments ?? [])
        .map((a) => a.fileId)
        .filter((x): x is string => typeof x === 'string');
      const { message } = agentReply(ctx, t.id, {
        text: body.text ?? '',
        richText: body.richText,
        userId,
        fileIds,
      });
      res.status(201).json(presentMessage(message));
    },
  );

  route(kit, 'get', [`${P}/actors/{actorId}`], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const actorId = String(req.params.actorId);
    const [prefix, id] = [actorId.slice(0, 2), actorId.slice(2)];
    if (prefix === 'A-') {
      const o = ctx.state.ownersOf(portalId).find((x) => String(x.userId) === id);
      if (!o) throw notFound(`Actor ${actorId} does not exist`);
      return res.json({
        id: actorId,
        type: 'AGENT',
        name: `${o.firstName} ${o.lastName}`,
        email: o.email,
      });
    }
    if (prefix === 'V-') {
      const c = ctx.state.contacts.get(id);
      const name = c ? [c.firstname, c.lastname].filter(Boolean).join(' ') : undefined;
      return res.json({
        id: actorId,
        type: 'VISITOR',
        ...(name ? { name } : {}),
        ...(c?.email ? { email: c.email } : {}),
      });
    }
    throw notFound(`Actor ${actorId} does not exist`);
  });
}

export function setThreadStatus(
  closeTicket: boolean,
  t: Thread,
  status: 'OPEN' | 'CLOSED',
  ticketOf: (id: string) => { properties: Record<string, string>; updatedAt: string } | undefined,
): void {
  t.status = status;
  t.closedAt = status === 'CLOSED' ? new Date().toISOString() : undefined;
  const ticket = t.ticketId ? ticketOf(t.ticketId) : undefined;
  if (closeTicket && ticket) {
    ticket.properties.hs_pipeline_stage = status === 'CLOSED' ? '4' : '1';
    ticket.updatedAt = new Date().toISOString();
  }
}
