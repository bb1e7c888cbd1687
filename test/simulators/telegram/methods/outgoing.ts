import { badRequest, tooManyRequests } from '../http/errors';
import { isUploadedFile } from '../http/uploaded-file';
import type { SentRecord } from '../state/bot-state';
import type { StoredFile } from '../state/file-store';
import type { TgChat, TgMessage } from '../state/telegram-types';
import { resolveChat } from './chat-target';
import { bool, int, obj, str, type MethodContext, type Params } from './method-types';

export interface Outgoing {
  chat: TgChat;
  reply?: Params;
}

/** Target chat, flood limits and reply target of a send-like call, checked in Telegram's order. */
export function prepareOutgoing(ctx: MethodContext): Outgoing {
  const chat = resolveChat(ctx);
  const retryAfter = ctx.engine.limiter.take(
    ctx.bot.user.id,
    chat.id,
    chat.type === 'group' || chat.type === 'supergroup',
    bool(ctx.params, 'allow_paid_broadcast'),
  );
  if (retryAfter !== undefined) throw tooManyRequests(retryAfter);
  return { chat, reply: resolveReply(ctx, chat) };
}

function resolveReply(ctx: MethodContext, chat: TgChat): Params | undefined {
  const rp = obj(ctx.params, 'reply_parameters');
  const messageId = rp ? int(rp, 'message_id') : int(ctx.params, 'reply_to_message_id');
  if (messageId === undefined) return undefined;
  const allowWithout = rp
    ? bool(rp, 'allow_sending_without_reply')
    : bool(ctx.params, 'allow_sending_without_reply');
  const rawChat = rp?.chat_id;
  const targetChat =
    rawChat === undefined ? chat : ctx.engine.world.findChat(rawChat as number | string)?.chat;
  const target = targetChat ? ctx.bot.messages.get(targetChat.id, messageId) : undefined;
  if (!target) {
    if (allowWithout) return undefined;
    throw badRequest('message to be replied not found');
  }
  const reply: Params = {};
  const { reply_to_message: _nested, ...shallow } = target;
  if (targetChat?.id === chat.id) reply.reply_to_message = shallow;
  else
    reply.external_reply = { origin: { type: 'chat', sender_chat: targetChat, date: target.date } };
  const quote = rp ? str(rp, 'quote') : undefined;
  if (quote !== undefined) {
    const source = String(target.text ?? target.caption ?? '');
    const position = int(rp ?? {}, 'quote_position') ?? source.indexOf(quote);
    if (position < 0 || source.slice(position, position + quote.length) !== quote) {
      throw badRequest('quote not found');
    }
    reply.quote = { text: quote, position, is_manual: true };
  }
  return reply;
}

/** Allocates the next message id in the chat and fills what every sent message carries. */
export function newMessage(ctx: MethodContext, out: Outgoing, content: Params): TgMessage {
  const message: TgMessage = {
    message_id: ctx.bot.messages.nextId(out.chat.id),
    from: ctx.bot.user,
    chat: out.chat,
    date: ctx.engine.nowSeconds(),
    ...(out.reply ?? {}),
    ...content,
  };
  if (bool(ctx.params, 'protect_content')) message.has_protected_content = true;
  const threadId = int(ctx.params, 'message_thread_id');
  if (threadId !== undefined) message.message_thread_id = threadId;
  if (ctx.params.reply_markup !== undefined) message.reply_markup = ctx.params.reply_markup;
  return message;
}

/** Stores sent messages for later replies/forwards and records the call for tests. */
export function recordSent(
  ctx: MethodContext,
  chat: TgChat,
  messages: TgMessage[],
  files: Array<{ param: string; file: StoredFile }>,
): void {
  for (const m of messages) ctx.bot.messages.save(m);
  const record: SentRecord = {
    method: ctx.method.name,
    chat_id: chat.id,
    message_ids: messages.map((m) => m.message_id),
    params: describeParams(ctx.params),
    files: files.map(({ param, file }) => ({
      param,
      file_id: file.file_id,
      file_name: file.file_name,
      mime_type: file.mime_type,
      size: file.file_size,
    })),
    messages: messages.map((m) => ({ ...m })),
    at: ctx.engine.now(),
  };
  ctx.bot.sent.push(record);
}

/** Parameters with uploads replaced by a short description (bytes are kept in the file store). */
export function describeParams(params: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    out[k] = isUploadedFile(v)
      ? { upload: true, file_name: v.fileName, mime_type: v.mimeType, size: v.data.length }
      : v;
  }
  return out;
}
