import { badRequest, TelegramApiError } from '../http/errors';
import { MAX_DOWNLOAD_BYTES } from '../state/file-store';
import { resolveChat } from './chat-target';
import { int, list, ok, str, type MethodContext, type MethodOutcome } from './method-types';

export function getMe(ctx: MethodContext): MethodOutcome {
  return ok(ctx.bot.getMe());
}

/** getFile: file_path for download; files over 20 MB -> 400 "file is too big". */
export function getFile(ctx: MethodContext): MethodOutcome {
  const fileId = str(ctx.params, 'file_id') ?? '';
  const file = ctx.bot.files.get(fileId);
  if (!file) throw badRequest('invalid file_id');
  if (file.file_size > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
  return ok({
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
    file_size: file.file_size,
    file_path: file.file_path,
  });
}

export function sendChatAction(ctx: MethodContext): MethodOutcome {
  resolveChat(ctx);
  return ok(true);
}

/** setMessageReaction: the message must exist; reactions are recorded for tests. */
export function setMessageReaction(ctx: MethodContext): MethodOutcome {
  const chat = resolveChat(ctx);
  const messageId = int(ctx.params, 'message_id') ?? 0;
  if (!ctx.bot.messages.get(chat.id, messageId)) throw badRequest('message to react not found');
  ctx.bot.reactions.push({
    chat_id: chat.id,
    message_id: messageId,
    reaction: list(ctx.params, 'reaction') ?? [],
  });
  return ok(true);
}

/** Methods that only confirm (return True) are accepted without further behaviour. */
export function acceptTrue(): MethodOutcome {
  return ok(true);
}

export function notImplemented(ctx: MethodContext): MethodOutcome {
  throw new TelegramApiError(
    501,
    `Not Implemented: the simulator does not implement ${ctx.method.name}`,
  );
}
