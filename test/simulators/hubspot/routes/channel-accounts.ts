import type { Request, Response } from 'express';
import { portalIdOf } from '../auth';
import { identifierTypesOf } from '../capabilities';
import { emitAccountEvent } from '../events';
import { conflict, notFound, validationError } from '../errors';
import { newAccount } from '../connect';
import { checkDeliveryIdentifier, sameIdentifier } from '../identifiers';
import { accountFor, channelFor } from '../messaging';
import { presentAccount } from '../presenters';
import type { DeliveryIdentifier } from '../types';
import { channelPaths, paginate, type RouteKit, route } from './route';

const asArray = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

/** Channel accounts and staging tokens (spec 4.1, 4.3): Bearer token of the portal. */
export function registerChannelAccountRoutes(kit: RouteKit): void {
  const { ctx } = kit;

  route(
    kit,
    'post',
    channelPaths('/{channelId}/channel-accounts'),
    'portal',
    (req: Request, res: Response) => {
      const portalId = portalIdOf(res);
      const channel = channelFor(ctx, String(req.params.channelId));
      const body = req.body as {
        inboxId: string;
        name: string;
        authorized: boolean;
        deliveryIdentifier?: DeliveryIdentifier;
      };
      const inbox = ctx.state.inboxes.get(body.inboxId);
      if (!inbox || inbox.portalId !== portalId) {
        throw validationError(`Inbox ${body.inboxId} does not exist`, [
          { message: 'unknown inboxId', in: 'inboxId' },
        ]);
      }
      if (body.deliveryIdentifier) {
        checkDeliveryIdentifier(
          body.deliveryIdentifier,
          identifierTypesOf(channel.capabilities),
          'deliveryIdentifier',
        );
        const dup = [...ctx.state.channelAccounts.values()].find(
          (a) =>
            a.channelId === channel.id &&
            a.portalId === portalId &&
            !a.archived &&
            a.deliveryIdentifier &&
            sameIdentifier(a.deliveryIdentifier, body.deliveryIdentifier as DeliveryIdentifier),
        );
        // UNCLEAR whether HubSpot answers 409 here (spec 4.1); a WhatsApp gateway relies on it.
        if (dup)
          throw conflict(
            `A channel account with this deliveryIdentifier already exists (${dup.id})`,
          );
      }
      const account = newAccount(ctx, {
        channelId: channel.id,
        portalId,
        inboxId: inbox.id,
        name: body.name,
        authorized: body.authorized,
        deliveryIdentifier: body.deliveryIdentifier,
      });
      if (ctx.options.emitCreatedOnApiCreate)
        emitAccountEvent(ctx, 'CHANNEL_ACCOUNT_CREATED', account);
      res.location(
        `${ctx.baseUrl}/conversations/v3/custom-channels/${channel.id}/channel-accounts/${account.id}`,
      );
      res.status(201).json(presentAccount(account));
    },
  );

  route(
    kit,
    'get',
    channelPaths('/{channelId}/channel-accounts'),
    'portal',
    (req: Request, res: Response) => {
      const portalId = portalIdOf(res);
      const channel = channelFor(ctx, String(req.params.channelId));
      const types = asArray(req.query.deliveryIdentifierType);
      const values = asArray(req.query.deliveryIdentifierValue);
      const archived = String(req.query.archived) === 'true';
      const all = [...ctx.state.channelAccounts.values()].filter(
        (a) =>
          a.channelId === channel.id &&
          a.portalId === portalId &&
          a.archived === archived &&
          (types.length === 0 ||
            (a.deliveryIdentifier !== undefined && types.includes(a.deliveryIdentifier.type))) &&
          (values.length === 0 ||
            (a.deliveryIdentifier !== undefined && values.includes(a.deliveryIdentifier.value))),
      );
      const page = paginate(all, req.query.after, req.query.limit ?? req.query.defaultPageLength);
      res.json({ ...page, results: page.results.map(presentAccount), total: all.length });
    },
  );

  route(
    kit,
    'get',
    channelPaths('/{channelId}/channel-accounts/{channelAccountId}'),
    'portal',
    (req: Request, res: Response) => {
      const account = accountFor(
        ctx,
        portalIdOf(res),
        String(req.params.channelId),
        String(req.params.channelAccountId),
      );
      const archived = String(req.query.archived) === 'true';
      if (account.archived && !archived)
        throw notFound(`Channel account ${account.id} is archived`);
      res.json(presentAccount(account));
    },
  );

  route(
    kit,
    'patch',
    channelPaths('/{channelId}/channel-accounts/{channelAccountId}'),
    'portal',
    (req: Request, res: Response) => {
      const account = accountFor(
        ctx,
        portalIdOf(res),
        String(req.params.channelId),
        String(req.params.channelAccountId),
      );
      if (account.archived) throw notFound(`Channel account ${account.id} is archived`);
      const body = req.body as { name?: string; authorized?: boolean };
      if (body.name !== undefined) account.name = body.name;
      if (body.authorized !== undefined) {
        account.authorized = body.authorized;
        account.active = body.authorized;
      }
      res.json(presentAccount(account));
    },
  );

  route(
    kit,
    'patch',
    channelPaths('/{channelId}/channel-account-staging-tokens/{accountToken}'),
    'portal',
    (req: Request, res: Response) => {
      const portalId = portalIdOf(res);
      const channel = channelFor(ctx, String(req.params.channelId));
      const staging = ctx.state.stagingTokens.get(String(req.params.accountToken));
      if (!staging || staging.channelId !== channel.id || staging.portalId !== portalId) {
        throw notFound(`Staging token ${String(req.params.accountToken)} does not exist`);
      }
      // Re-finalising a connected token -> 409 (spec 4.1, observed).
      if (staging.finalizedChannelAccountId)
        throw conflict('This staging token was already used to connect a channel account');
      const body = req.body as { accountName?: string; deliveryIdentifier?: DeliveryIdentifier };
      if (body.deliveryIdentifier) {
        checkDeliveryIdentifier(
          body.deliveryIdentifier,
          identifierTypesOf(channel.capabilities),
          'deliveryIdentifier',
        );
        staging.deliveryIdentifier = body.deliveryIdentifier;
      }
      if (body.accountName !== undefined) staging.accountName = body.accountName;
      staging.updatedAt = new Date().toISOString();
      res.json({
        accountToken: staging.accountToken,
        createdAt: staging.createdAt,
        genericChannelId: Number(channel.id),
        inboxId: Number(staging.inboxId),
        userId: staging.userId,
        ...(staging.accountName !== undefined ? { accountName: staging.accountName } : {}),
        ...(staging.deliveryIdentifier ? { deliveryIdentifier: staging.deliveryIdentifier } : {}),
      });
    },
  );
}
