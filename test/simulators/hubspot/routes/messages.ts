import type { Request, Response } from 'express';
import { portalIdOf, tokenOf } from '../auth';
import { notFound, validationError } from '../errors';
import { channelFor, type PublishBody, publishMessage } from '../messaging';
import { presentMessage } from '../presenters';
import type { Message, MessageStatus } from '../types';
import { channelPaths, type RouteKit, route } from './route';

/** Publish, read and status-update messages (spec 6, 9). */
export function registerMessageRoutes(kit: RouteKit): void {
  const { ctx } = kit;

  route(
    kit,
    'post',
    channelPaths('/{channelId}/messages'),
    'portal',
    (req: Request, res: Response) => {
      const channelId = String(req.params.channelId);
      const { message, replayed } = publishMessage(
        ctx,
        portalIdOf(res),
        tokenOf(res).scopes,
        channelId,
        req.body as PublishBody,
      );
      // UNCLEAR replay response (spec 6.6): default 200 with the original message.
      const status = replayed && ctx.options.idempotencyReplay === 'ORIGINAL_200' ? 200 : 201;
      res.location(
        `${ctx.baseUrl}/conversations/v3/custom-channels/${channelId}/messages/${message.id}`,
      );
      res.status(status).json(presentMessage(message));
    },
  );

  const find = (req: Request, res: Response): Message => {
    const channel = channelFor(ctx, String(req.params.channelId));
    const m = ctx.state.messages.get(String(req.params.messageId));
    if (!m || m.channelId !== channel.id || m.portalId !== portalIdOf(res)) {
      throw notFound(`Message ${String(req.params.messageId)} does not exist`);
    }
    return m;
  };

  route(
    kit,
    'get',
    channelPaths('/{channelId}/messages/{messageId}'),
    'portal',
    (req: Request, res: Response) => {
      res.json(presentMessage(find(req, res)));
    },
  );

  route(
    kit,
    'patch',
    channelPaths('/{channelId}/messages/{messageId}'),
    'portal',
    (req: Request, res: Response) => {
      const m = find(req, res);
      const body = req.body as { statusType: 'SENT' | 'FAILED' | 'READ'; errorMessage?: string };
      if (m.direction !== 'OUTGOING') {
        // Statuses describe delivery of agent messages; UNCLEAR for incoming ones, rejected here.
        throw validationError('Only OUTGOING messages have a delivery status', [
          { message: 'message is INCOMING', in: 'messageId' },
        ]);
      }
      const status: MessageStatus =
        body.statusType === 'FAILED'
          ? {
              statusType: 'FAILED',
              failureDetails: { errorMessage: body.errorMessage, errorMessageTokens: {} },
            }
          : { statusType: body.statusType };
      m.status = status;
      m.updatedAt = new Date().toISOString();
      m.statusHistory.push({ at: m.updatedAt, status });
      res.json(presentMessage(m));
    },
  );
}
