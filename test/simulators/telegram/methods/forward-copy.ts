import { badRequest } from '../http/errors';
import type { TgMessage } from '../state/telegram-types';
import { resolveChat } from './chat-target';
import { int, ok, type MethodContext, type MethodOutcome, type Params } from './method-types';
import { newMessage, prepareOutgoing, recordSent } from './outgoing';
import { captionFields } from './text-content';

/** Message fields that describe the envelope rather than the content. */
const ENVELOPE = new Set([
  'message_id',
  'from',
  'chat',
  'date',
  'edit_date',
  'reply_to_message',
  'external_reply',
  'quote',
  'forward_origin',
  'media_group_id',
  'reply_markup',
  'sender_chat',
  'has_protected_content',
  'message_thread_id',
]);

function content(message: TgMessage): Params {
  return Object.fromEntries(Object.entries(message).filter(([k]) => !ENVELOPE.has(k)));
}

function source(ctx: MethodContext, what: string): TgMessage {
  const fromChat = resolveChat(ctx, 'from_chat_id');
  const message = ctx.bot.messages.get(fromChat.id, int(ctx.params, 'message_id') ?? 0);
  if (!message) throw badRequest(`message to ${what} not found`);
  return message;
}

function origin(message: TgMessage): Params {
  if (message.chat.type === 'private' || message.from) {
    return { type: 'user', sender_user: message.from, date: message.date };
  }
  return { type: 'chat', sender_chat: message.chat, date: message.date };
}

export function forwardMessage(ctx: MethodContext): MethodOutcome {
  const original = source(ctx, 'forward');
  const out = prepareOutgoing(ctx);
  const message = newMessage(ctx, out, { forward_origin: origin(original), ...content(original) });
  recordSent(ctx, out.chat, [message], []);
  return ok(message);
}

/** copyMessage: same content without a forward header; returns only the MessageId. */
export function copyMessage(ctx: MethodContext): MethodOutcome {
  const original = source(ctx, 'copy');
  const out = prepareOutgoing(ctx);
  const copied = content(original);
  if (ctx.params.caption !== undefined && copied.caption !== undefined) {
    delete copied.caption_entities;
    Object.assign(copied, captionFields(ctx.params));
  }
  const message = newMessage(ctx, out, copied);
  recordSent(ctx, out.chat, [message], []);
  return ok({ message_id: message.message_id });
}
