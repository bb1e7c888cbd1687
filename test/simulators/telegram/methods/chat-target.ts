import { badRequest, forbidden } from '../http/errors';
import type { TgChat } from '../state/telegram-types';
import type { MethodContext } from './method-types';

/**
 * Resolves a `chat_id` parameter (integer id or @username) to a chat the bot can write to:
 * unknown -> 400 chat not found; upgraded group -> 400 with migrate_to_chat_id;
 * private chat with a user who blocked the bot -> 403.
 */
export function resolveChat(ctx: MethodContext, param = 'chat_id'): TgChat {
  const raw = ctx.params[param];
  const record =
    typeof raw === 'number' || typeof raw === 'string'
      ? ctx.engine.world.findChat(
          typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw,
        )
      : undefined;
  if (!record) throw badRequest('chat not found');
  if (record.migratedTo !== undefined) {
    throw badRequest('group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: record.migratedTo,
    });
  }
  if (record.chat.type === 'private' && ctx.bot.blockedBy.has(record.chat.id)) {
    throw forbidden('bot was blocked by the user');
  }
  return record.chat;
}
