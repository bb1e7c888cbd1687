import { Router, type Response } from 'express';
import type { SimCore } from '../core';
import { requester } from '../http/context';
import { MatrixError } from '../http/errors';
import type { EventSource } from '../types';
import { asString, asStringArray, isRecord, type JsonObject } from '../util/json';
import { jsonBody, param } from './helpers';

const V3 = '/_matrix/client/v3';

function sourceOf(res: Response): EventSource {
  return requester(res).appservice ? 'appservice' : 'client';
}

/** createRoom, join, leave, forget, invite, kick, ban, unban. */
export function membershipRoutes(core: SimCore): Router {
  const r = Router();
  const { rooms } = core;

  r.post(`${V3}/createRoom`, (_req, res) => {
    const body = jsonBody(res);
    const preset = asString(body.preset);
    const initialState = Array.isArray(body.initial_state)
      ? body.initial_state.filter(isRecord)
      : [];
    const room = rooms.createRoom({
      creator: requester(res).userId,
      name: asString(body.name),
      topic: asString(body.topic),
      preset:
        preset === 'public_chat' || preset === 'private_chat' || preset === 'trusted_private_chat'
          ? preset
          : body.visibility === 'public'
            ? 'public_chat'
            : undefined,
      isDirect: body.is_direct === true,
      invite: asStringArray(body.invite),
      aliasLocalpart: asString(body.room_alias_name),
      initialState: initialState.map((s) => ({
        type: asString(s.type) ?? '',
        state_key: asString(s.state_key),
        content: isRecord(s.content) ? s.content : {},
      })),
      source: sourceOf(res),
    });
    res.json({ room_id: room.roomId });
  });

  const join = (roomIdOrAlias: string, res: Response): void => {
    const room = rooms.resolve(roomIdOrAlias);
    rooms.join(room, requester(res).userId, sourceOf(res));
    res.json({ room_id: room.roomId });
  };
  r.post(`${V3}/join/:roomIdOrAlias`, (req, res) => join(param(req, 'roomIdOrAlias'), res));
  r.post(`${V3}/rooms/:roomId/join`, (req, res) => join(param(req, 'roomId'), res));

  r.post(`${V3}/rooms/:roomId/leave`, (req, res) => {
    rooms.leave(
      rooms.get(param(req, 'roomId')),
      requester(res).userId,
      sourceOf(res),
      asString(jsonBody(res).reason),
    );
    res.json({});
  });

  r.post(`${V3}/rooms/:roomId/forget`, (req, res) => {
    rooms.forget(rooms.get(param(req, 'roomId')), requester(res).userId);
    res.json({});
  });

  const targeted =
    (
      action: (
        room: ReturnType<typeof rooms.get>,
        sender: string,
        target: string,
        body: JsonObject,
      ) => void,
    ) =>
    (req: Parameters<Parameters<typeof r.post>[1]>[0], res: Response): void => {
      const body = jsonBody(res);
      const target = asString(body.user_id);
      if (!target) throw new MatrixError(400, 'M_MISSING_PARAM', 'user_id is required');
      action(rooms.get(param(req, 'roomId')), requester(res).userId, target, body);
      res.json({});
    };

  r.post(
    `${V3}/rooms/:roomId/invite`,
    targeted((room, sender, target, body) => {
      if (!core.store.users.has(target))
        throw new MatrixError(404, 'M_NOT_FOUND', `Unknown user ${target}`);
      rooms.invite(room, sender, target, 'client', body.is_direct === true);
    }),
  );
  r.post(
    `${V3}/rooms/:roomId/kick`,
    targeted((room, sender, target, body) =>
      rooms.kick(room, sender, target, 'client', asString(body.reason)),
    ),
  );
  r.post(
    `${V3}/rooms/:roomId/ban`,
    targeted((room, sender, target, body) =>
      rooms.ban(room, sender, target, 'client', asString(body.reason)),
    ),
  );
  r.post(
    `${V3}/rooms/:roomId/unban`,
    targeted((room, sender, target) => rooms.unban(room, sender, target, 'client')),
  );

  return r;
}
