import { badRequest } from '../http/errors';
import type { TgChat, TgMessage } from '../state/telegram-types';
import { resolveChat } from './chat-target';
import { int, ok, type MethodContext, type MethodOutcome, type Params } from './method-types';
import { recordSent } from './outgoing';
import { captionFields, messageText } from './text-content';

/** Only messages the bot sent itself can be edited (inline messages are not simulated). */
function ownMessage(ctx: MethodContext, what: string): { chat: TgChat; message: TgMessage } {
  if (ctx.params.inline_message_id !== undefined) {
    throw badRequest('inline messages are not supported by the simulator');
  }
  if (ctx.params.chat_id === undefined) throw badRequest('chat_id is empty');
  const chat = resolveChat(ctx);
  const message = ctx.bot.messages.get(chat.id, int(ctx.params, 'message_id') ?? 0);
  if (!message) throw badRequest(`message to ${what} not found`);
  if (message.from?.id !== ctx.bot.user.id) throw badRequest("message can't be edited");
  return { chat, message };
}

function applyEdit(
  ctx: MethodContext,
  chat: TgChat,
  message: TgMessage,
  changes: Params,
): MethodOutcome {
  const unchanged = Object.entries(changes).every(
    ([k, v]) => JSON.stringify(message[k]) === JSON.stringify(v),
  );
  if (unchanged && ctx.params.reply_markup === undefined) {
    throw badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  }
  const edited: TgMessage = { ...message, edit_date: ctx.engine.nowSeconds() };
  delete edited.entities;
  delete edited.caption_entities;
  Object.assign(edited, changes);
  if (ctx.params.reply_markup !== undefined) edited.reply_markup = ctx.params.reply_markup;
  recordSent(ctx, chat, [edited], []);
  return ok(edited);
}

export function editMessageText(ctx: MethodContext): MethodOutcome {
  const { chat, message } = ownMessage(ctx, 'edit');
  if (message.text === undefined) throw badRequest('there is no text in the message to edit');
  return applyEdit(ctx, chat, message, messageText(ctx.params));
}

export function editMessageCaption(ctx: MethodContext): MethodOutcome {
  const { chat, message } = ownMessage(ctx, 'edit');
  if (message.text !== undefined) throw badRequest('there is no caption in the message to edit');
  return applyEdit(ctx, chat, message, captionFields(ctx.params));
}

export function deleteMessage(ctx: MethodContext): MethodOutcome {
  const chat = resolveChat(ctx);
  const messageId = int(ctx.params, 'message_id') ?? 0;
  if (!ctx.bot.messages.delete(chat.id, messageId)) {
    throw badRequest('message to delete not found');
  }
  ctx.bot.deleted.push({ chat_id: chat.id, message_id: messageId });
  return ok(true);
}
