import { Router, type Request, type Response } from 'express';
import type { SimCore } from '../core';
import { requester } from '../http/context';
import { forbidden, notFound } from '../http/errors';
import type { Room } from '../state/room';
import { clientEvent } from '../sync/format';
import { asString, type JsonObject } from '../util/json';
import { jsonBody, param, query, queryString } from './helpers';

const V3 = '/_matrix/client/v3';

/** A member may read events up to the moment they left; current members read everything. */
function assertCanRead(room: Room, userId: string, pos = 0): void {
  const m = room.membership(userId);
  if (m === 'join') return;
  if ((m === 'leave' || m === 'ban') && pos <= room.membershipPos(userId) && pos > 0) return;
  throw forbidden(`User ${userId} not in room ${room.roomId}`);
}

/** send (txnId-idempotent), state, event, members, receipts, typing, redact, messages. */
export function eventRoutes(core: SimCore): Router {
  const r = Router();
  const { rooms, store } = core;

  const massagedTs = (res: Response): number | undefined => {
    const ts = query(res, 'ts');
    return requester(res).appservice && typeof ts === 'string' && /^\d+$/.test(ts)
      ? Number(ts)
      : undefined;
  };

  /** Replays the stored answer of an already used (scope, endpoint, txnId). */
  const idempotent = (res: Response, key: string, run: () => JsonObject): void => {
    const fullKey = `${requester(res).scope}|${key}`;
    const previous = store.txns.get(fullKey);
    if (previous) return void res.json(previous);
    const answer = run();
    store.txns.set(fullKey, answer);
    res.json(answer);
  };

  r.put(`${V3}/rooms/:roomId/send/:eventType/:txnId`, (req, res) => {
    const [roomId, type, txnId] = [
      param(req, 'roomId'),
      param(req, 'eventType'),
      param(req, 'txnId'),
    ];
    idempotent(res, `send|${roomId}|${type}|${txnId}`, () => {
      const who = requester(res);
      const room = rooms.get(roomId);
      const input = {
        sender: who.userId,
        type,
        content: jsonBody(res),
        source: who.appservice ? ('appservice' as const) : ('client' as const),
        txnId,
        txnScope: who.scope,
        ts: massagedTs(res),
      };
      const recorded =
        type === 'm.room.redaction' && typeof input.content.redacts === 'string'
          ? rooms.redact(room, { ...input, redacts: input.content.redacts })
          : rooms.send(room, input);
      return { event_id: recorded.event.event_id };
    });
  });

  r.put(`${V3}/rooms/:roomId/redact/:eventId/:txnId`, (req, res) => {
    const [roomId, eventId, txnId] = [
      param(req, 'roomId'),
      param(req, 'eventId'),
      param(req, 'txnId'),
    ];
    idempotent(res, `redact|${roomId}|${eventId}|${txnId}`, () => {
      const who = requester(res);
      const recorded = rooms.redact(rooms.get(roomId), {
        sender: who.userId,
        type: 'm.room.redaction',
        content: jsonBody(res),
        redacts: eventId,
        source: who.appservice ? 'appservice' : 'client',
        txnId,
        txnScope: who.scope,
      });
      return { event_id: recorded.event.event_id };
    });
  });

  r.put(`${V3}/rooms/:roomId/state/:eventType{/:stateKey}`, (req, res) => {
    const who = requester(res);
    const room = rooms.get(param(req, 'roomId'));
    const recorded = rooms.send(room, {
      sender: who.userId,
      type: param(req, 'eventType'),
      stateKey: param(req, 'stateKey'),
      content: jsonBody(res),
      source: who.appservice ? 'appservice' : 'client',
      ts: massagedTs(res),
    });
    res.json({ event_id: recorded.event.event_id });
  });

  r.get(`${V3}/rooms/:roomId/state/:eventType{/:stateKey}`, (req, res) => {
    const room = rooms.get(param(req, 'roomId'));
    assertCanRead(room, requester(res).userId);
    const ev = room.stateEvent(param(req, 'eventType'), param(req, 'stateKey'));
    if (!ev) throw notFound('Event not found.');
    res.json(
      queryString(res, 'format') === 'event'
        ? clientEvent(ev, undefined, Date.now())
        : ev.event.content,
    );
  });

  r.get(`${V3}/rooms/:roomId/state`, (req, res) => {
    const room = rooms.get(param(req, 'roomId'));
    assertCanRead(room, requester(res).userId);
    res.json([...room.state.values()].map((e) => clientEvent(e, undefined, Date.now())));
  });

  r.get(`${V3}/rooms/:roomId/event/:eventId`, (req, res) => {
    const room = rooms.get(param(req, 'roomId'));
    const ev = room.findEvent(param(req, 'eventId'));
    const who = requester(res);
    if (!ev) {
      assertCanRead(room, who.userId);
      throw notFound('Event not found.');
    }
    assertCanRead(room, who.userId, ev.pos);
    res.json(clientEvent(ev, who.scope, Date.now()));
  });

  r.get(`${V3}/rooms/:roomId/members`, (req, res) => {
    const room = rooms.get(param(req, 'roomId'));
    assertCanRead(room, requester(res).userId);
    const only = queryString(res, 'membership');
    const not = queryString(res, 'not_membership');
    const chunk = room
      .members()
      .filter(
        (m) =>
          (only === undefined || m.event.content.membership === only) &&
          m.event.content.membership !== not,
      )
      .map((m) => clientEvent(m, undefined, Date.now()));
    res.json({ chunk });
  });

  r.get(`${V3}/rooms/:roomId/joined_members`, (req, res) => {
    const room = rooms.get(param(req, 'roomId'));
    assertCanRead(room, requester(res).userId);
    const joined: JsonObject = {};
    for (const m of room.members('join')) {
      const c = m.event.content;
      joined[m.event.state_key ?? ''] = {
        ...(typeof c.displayname === 'string' ? { display_name: c.displayname } : {}),
        ...(typeof c.avatar_url === 'string' ? { avatar_url: c.avatar_url } : {}),
      };
    }
    res.json({ joined });
  });

  r.post(`${V3}/rooms/:roomId/receipt/:receiptType/:eventId`, (req, res) => {
    const room = rooms.get(param(req, 'roomId'));
    const type = param(req, 'receiptType');
    if (type === 'm.fully_read') {
      assertCanRead(room, requester(res).userId);
      rooms.setAccountData(room, requester(res).userId, 'm.fully_read', {
        event_id: param(req, 'eventId'),
      });
      return void res.json({});
    }
    rooms.receipt(
      room,
      requester(res).userId,
      type,
      param(req, 'eventId'),
      asString(jsonBody(res).thread_id),
    );
    res.json({});
  });

  r.put(`${V3}/rooms/:roomId/typing/:userId`, (req, res) => {
    const who = requester(res);
    if (param(req, 'userId') !== who.userId) throw forbidden('Cannot set typing for another user');
    const body = jsonBody(res);
    const timeout = typeof body.timeout === 'number' ? body.timeout : undefined;
    rooms.setTyping(rooms.get(param(req, 'roomId')), who.userId, body.typing === true, timeout);
    res.json({});
  });

  r.get(`${V3}/rooms/:roomId/messages`, (req: Request, res) => {
    const room = rooms.get(param(req, 'roomId'));
    const who = requester(res);
    assertCanRead(room, who.userId);
    const dir = queryString(res, 'dir') === 'f' ? 'f' : 'b';
    const limitRaw = query(res, 'limit');
    const limit = typeof limitRaw === 'number' ? limitRaw : 10;
    const from = /^s(\d+)$/.exec(queryString(res, 'from') ?? '');
    const start = from ? Number(from[1]) : dir === 'b' ? store.pos : 0;
    const visible = room.events.filter((e) => (dir === 'b' ? e.pos <= start : e.pos > start));
    const picked = dir === 'b' ? visible.slice(-limit).reverse() : visible.slice(0, limit);
    const last = picked[picked.length - 1];
    res.json({
      start: `s${start}`,
      chunk: picked.map((e) => clientEvent(e, who.scope, Date.now())),
      ...(last && visible.length > picked.length
        ? { end: `s${dir === 'b' ? last.pos - 1 : last.pos}` }
        : {}),
    });
  });

  return r;
}
