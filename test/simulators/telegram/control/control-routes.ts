import express, { type Request, type Response, type Router } from 'express';
import type { FaultRule } from '../faults/faults';
import type { RateLimitOptions } from '../limits/rate-limiter';
import type { BotState } from '../state/bot-state';
import type { StoredFile } from '../state/file-store';
import type { CreateChatInput, CreateUserInput } from '../state/world';
import type { CreateBotInput, SimulatorEngine } from '../simulator-engine';
import {
  ControlError,
  Injector,
  type InjectEditInput,
  type InjectMediaGroupInput,
  type InjectMessageInput,
  type UploadFileInput,
} from './injector';

export function describeFile(file: StoredFile): Record<string, unknown> {
  const { data: _data, ...rest } = file;
  return rest;
}

function describeBot(bot: BotState): Record<string, unknown> {
  return { token: bot.token, user: bot.getMe() };
}

type Handler = (req: Request) => unknown;

/** Wraps a handler: JSON result, 400 `{error}` for bad control input, 404 for unknown bots. */
function route(fn: Handler) {
  return (req: Request, res: Response): void => {
    try {
      res.status(200).json(fn(req) ?? { ok: true });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      res.status(err instanceof UnknownBot ? 404 : 400).json({ error: message });
    }
  };
}

class UnknownBot extends Error {}

function body<T>(req: Request): T {
  return (req.body ?? {}) as T;
}

/** Test-control API under /__sim (loopback only, no auth). */
export function controlRouter(engine: SimulatorEngine): Router {
  const router = express.Router();
  const injector = new Injector(engine);
  router.use(express.json({ limit: '200mb' }));

  const bot = (req: Request): BotState => {
    const found = engine.bots.get(String(req.params.token));
    if (!found) throw new UnknownBot(`unknown bot token ${String(req.params.token)}`);
    return found;
  };

  router.get(
    '/health',
    route(() => ({ ok: true, api_version: engine.spec.version })),
  );
  router.post(
    '/reset',
    route(() => engine.reset()),
  );

  router.post(
    '/bots',
    route((req) => describeBot(engine.createBot(body<CreateBotInput>(req)))),
  );
  router.get(
    '/bots',
    route(() => [...engine.bots.values()].map(describeBot)),
  );
  router.post(
    '/users',
    route((req) => engine.world.createUser(body<CreateUserInput>(req))),
  );
  router.post(
    '/chats',
    route((req) => engine.world.createChat(body<CreateChatInput>(req))),
  );
  router.post(
    '/chats/:chatId/migrate',
    route((req) => {
      const input = body<{ tokens?: string[]; from_id?: number }>(req);
      const bots = input.tokens
        ? input.tokens.map((t) => engine.bot(t))
        : [...engine.bots.values()];
      const { chat, updates } = injector.migrate(Number(req.params.chatId), bots, input.from_id);
      return { old_chat_id: Number(req.params.chatId), chat, updates };
    }),
  );

  router.post(
    '/bots/:token/files',
    route((req) => describeFile(injector.uploadFile(bot(req), body<UploadFileInput>(req)))),
  );
  router.get(
    '/bots/:token/files',
    route((req) => bot(req).files.all().map(describeFile)),
  );
  router.get('/bots/:token/files/:fileId/content', (req, res) => {
    const file = engine.bots.get(String(req.params.token))?.files.get(String(req.params.fileId));
    if (!file) {
      res.status(404).json({ error: 'file not found' });
      return;
    }
    res.type(file.mime_type ?? 'application/octet-stream').send(file.data);
  });

  router.post(
    '/bots/:token/messages',
    route((req) => injector.message(bot(req), body<InjectMessageInput>(req))),
  );
  router.post(
    '/bots/:token/edits',
    route((req) => injector.edit(bot(req), body<InjectEditInput>(req))),
  );
  router.post(
    '/bots/:token/media-groups',
    route((req) => injector.mediaGroup(bot(req), body<InjectMediaGroupInput>(req))),
  );
  router.post(
    '/bots/:token/updates',
    route((req) => {
      const { kind, payload } = body<{ kind?: string; payload?: unknown }>(req);
      if (!kind) throw new ControlError('kind is required');
      return { update: bot(req).updates.push(kind, payload ?? {}) };
    }),
  );
  router.get(
    '/bots/:token/updates',
    route((req) => bot(req).updates.all()),
  );
  router.post(
    '/bots/:token/blocks',
    route((req) => {
      const { user_id, blocked } = body<{ user_id?: number; blocked?: boolean }>(req);
      if (user_id === undefined) throw new ControlError('user_id is required');
      return { update: injector.block(bot(req), Number(user_id), blocked !== false) };
    }),
  );

  router.get(
    '/bots/:token/sent',
    route((req) => {
      const chatId = req.query.chat_id;
      const sent = bot(req).sent;
      return chatId === undefined ? sent : sent.filter((s) => s.chat_id === Number(chatId));
    }),
  );
  router.get(
    '/bots/:token/reactions',
    route((req) => bot(req).reactions),
  );
  router.get(
    '/bots/:token/deleted',
    route((req) => bot(req).deleted),
  );
  router.get(
    '/bots/:token/webhook',
    route((req) => {
      const b = bot(req);
      return {
        config: b.webhook.current ?? null,
        status: b.webhook.status,
        deliveries: b.webhook.deliveries,
      };
    }),
  );

  router.get(
    '/requests',
    route((req) => {
      const token = typeof req.query.token === 'string' ? req.query.token : undefined;
      const method =
        typeof req.query.method === 'string' ? req.query.method.toLowerCase() : undefined;
      return engine.requestLog.filter(
        (r) => (!token || r.token === token) && (!method || r.method.toLowerCase() === method),
      );
    }),
  );

  router.get(
    '/faults',
    route(() => engine.faults.list()),
  );
  router.post(
    '/faults',
    route((req) => engine.faults.add(body<FaultRule>(req))),
  );
  router.delete(
    '/faults',
    route(() => engine.faults.clear()),
  );
  router.delete(
    '/faults/:id',
    route((req) => ({ removed: engine.faults.remove(Number(req.params.id)) })),
  );

  router.get(
    '/limits',
    route(() => engine.limiter.config),
  );
  router.put(
    '/limits',
    route((req) => engine.limiter.configure(body<Partial<RateLimitOptions>>(req))),
  );

  router.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'unknown control route' });
  });
  return router;
}
