import express, { Router, type Request } from 'express';
import type { SimController } from '../control/controller';
import { contentForKind } from '../control/message-kinds';
import { MatrixError, notFound } from '../http/errors';
import type { EventSource, FaultRule } from '../types';
import { asRecord, asString, asStringArray, isRecord, type JsonObject } from '../util/json';
import { param } from './helpers';

function body(req: Request): JsonObject {
  return asRecord(req.body);
}

function required(b: JsonObject, key: string): string {
  const v = asString(b[key]);
  if (v === undefined) throw new MatrixError(400, 'M_MISSING_PARAM', `'${key}' is required`);
  return v;
}

function queryText(req: Request, key: string): string | undefined {
  return asString((req.query as Record<string, unknown>)[key]);
}

/** Test-control API under `/__sim` (loopback only, no auth). */
export function controlRoutes(c: SimController): Router {
  const r = Router();
  r.post('/__sim/media', express.raw({ type: () => true, limit: '200mb' }), (req, res) => {
    const uploader = queryText(req, 'uploader');
    if (!uploader) throw new MatrixError(400, 'M_MISSING_PARAM', "'uploader' query is required");
    const buf: unknown = req.body;
    const bytes = Buffer.isBuffer(buf) ? buf : Buffer.alloc(0);
    const type = req.headers['content-type'];
    const { bytes: _b, ...record } = c.uploadMedia(
      uploader,
      bytes,
      type,
      queryText(req, 'filename'),
    );
    res.json(record);
  });
  r.use('/__sim', express.json({ limit: '5mb' }));

  r.get('/__sim/users', (_req, res) => void res.json(c.users()));
  r.post('/__sim/users', (req, res) => {
    const b = body(req);
    res.json(
      c.createUser({
        user: required(b, 'user'),
        displayName: asString(b.displayName),
        password: asString(b.password),
        accessToken: asString(b.accessToken),
        deviceId: asString(b.deviceId),
      }),
    );
  });

  r.get('/__sim/rooms', (_req, res) => void res.json(c.rooms()));
  r.post('/__sim/rooms', (req, res) => {
    const b = body(req);
    const preset = asString(b.preset);
    res.json(
      c.createRoom({
        creator: required(b, 'creator'),
        name: asString(b.name),
        topic: asString(b.topic),
        isDirect: b.isDirect === true,
        preset:
          preset === 'public_chat' || preset === 'private_chat' || preset === 'trusted_private_chat'
            ? preset
            : undefined,
        invite: asStringArray(b.invite),
        join: asStringArray(b.join),
        encrypted: b.encrypted === true,
        alias: asString(b.alias),
      }),
    );
  });
  r.get('/__sim/rooms/:roomId', (req, res) => void res.json(c.roomSummary(param(req, 'roomId'))));
  r.get('/__sim/rooms/:roomId/events', (req, res) => {
    const source = queryText(req, 'source');
    res.json(
      c.events(param(req, 'roomId'), {
        sender: queryText(req, 'sender'),
        type: queryText(req, 'type'),
        source:
          source === 'client' || source === 'appservice' || source === 'control'
            ? (source as EventSource)
            : undefined,
      }),
    );
  });
  r.get(
    '/__sim/rooms/:roomId/receipts',
    (req, res) => void res.json(c.receipts(param(req, 'roomId'))),
  );

  const membership: Record<string, (roomId: string, b: JsonObject) => void> = {
    invite: (id, b) => c.invite(id, required(b, 'sender'), required(b, 'userId')),
    join: (id, b) => c.join(id, required(b, 'userId')),
    leave: (id, b) => c.leave(id, required(b, 'userId')),
    kick: (id, b) => c.kick(id, required(b, 'sender'), required(b, 'userId'), asString(b.reason)),
    ban: (id, b) => c.ban(id, required(b, 'sender'), required(b, 'userId'), asString(b.reason)),
    unban: (id, b) => c.unban(id, required(b, 'sender'), required(b, 'userId')),
    forget: (id, b) => c.forget(id, required(b, 'userId')),
    encryption: (id, b) => void c.enableEncryption(id, required(b, 'sender')),
    typing: (id, b) => c.setTyping(id, required(b, 'userId'), b.typing !== false),
  };
  r.post('/__sim/rooms/:roomId/:action', (req, res, next) => {
    const fn = membership[param(req, 'action')];
    if (!fn) return next();
    fn(param(req, 'roomId'), body(req));
    res.json({});
  });

  r.post('/__sim/rooms/:roomId/send', (req, res) => {
    const b = body(req);
    if (!isRecord(b.content))
      throw new MatrixError(400, 'M_BAD_JSON', "'content' object is required");
    const type = asString(b.type) ?? 'm.room.message';
    const stateKey = asString(b.stateKey);
    const ev =
      stateKey !== undefined
        ? c.sendState(param(req, 'roomId'), required(b, 'sender'), type, stateKey, b.content)
        : c.sendEvent(param(req, 'roomId'), required(b, 'sender'), type, b.content);
    res.json({ event_id: ev.event.event_id, event: ev.event });
  });
  r.post('/__sim/rooms/:roomId/messages', (req, res) => {
    const b = body(req);
    const ev = c.sendEvent(
      param(req, 'roomId'),
      required(b, 'sender'),
      'm.room.message',
      contentForKind(b),
    );
    res.json({ event_id: ev.event.event_id, event: ev.event });
  });
  r.post('/__sim/rooms/:roomId/receipt', (req, res) => {
    const b = body(req);
    const rec = c.sendReceipt(
      param(req, 'roomId'),
      required(b, 'userId'),
      required(b, 'eventId'),
      asString(b.receiptType),
      asString(b.threadId),
    );
    res.json(rec);
  });

  r.get(
    '/__sim/media',
    (_req, res) =>
      void res.json(c.mediaList().map(({ bytes: _b, ...m }) => ({ ...m, size: _b?.length }))),
  );
  r.get('/__sim/media/:serverName/:mediaId', (req, res) => {
    const rec = c.mediaByUri(`mxc://${param(req, 'serverName')}/${param(req, 'mediaId')}`);
    if (!rec?.bytes) throw notFound('Media not found');
    res.type(rec.contentType).end(rec.bytes);
  });

  r.get('/__sim/appservices', (_req, res) => void res.json(c.appservices()));
  r.put('/__sim/appservices', (req, res) => void res.json(c.registerAppservice(body(req))));
  r.delete(
    '/__sim/appservices/:id',
    (req, res) => void res.json({ removed: c.removeAppservice(param(req, 'id')) }),
  );
  r.get(
    '/__sim/transactions',
    (req, res) => void res.json(c.transactions(queryText(req, 'appserviceId'))),
  );

  r.get(
    '/__sim/requests',
    (req, res) =>
      void res.json(c.requests({ path: queryText(req, 'path'), method: queryText(req, 'method') })),
  );
  r.delete('/__sim/requests', (_req, res) => {
    c.clearRequests();
    res.json({});
  });

  r.get('/__sim/rate-limit', (_req, res) => void res.json(c.rateLimit()));
  r.put('/__sim/rate-limit', (req, res) => {
    const b = body(req);
    const patch = {
      ...(typeof b.enabled === 'boolean' ? { enabled: b.enabled } : {}),
      ...(typeof b.perSecond === 'number' ? { perSecond: b.perSecond } : {}),
      ...(typeof b.burst === 'number' ? { burst: b.burst } : {}),
    };
    res.json(c.rateLimit(patch));
  });

  r.get('/__sim/faults', (_req, res) => void res.json(c.faults()));
  r.post('/__sim/faults', (req, res) => {
    const b = body(req);
    const kind = b.kind;
    if (kind !== 'error' && kind !== 'slow' && kind !== 'drop') {
      throw new MatrixError(400, 'M_INVALID_PARAM', "'kind' must be error, slow or drop");
    }
    res.json(c.addFault({ ...(b as Partial<FaultRule>), kind }));
  });
  r.delete('/__sim/faults', (_req, res) => {
    c.clearFaults();
    res.json({});
  });
  r.delete(
    '/__sim/faults/:id',
    (req, res) => void res.json({ removed: c.removeFault(param(req, 'id')) }),
  );
  return r;
}
