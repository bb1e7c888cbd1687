import type { ApiMethod } from '../spec/api-spec';
import { deleteMessage, editMessageCaption, editMessageText } from './edit-delete';
import { copyMessage, forwardMessage } from './forward-copy';
import type { MethodHandler } from './method-types';
import {
  acceptTrue,
  getFile,
  getMe,
  notImplemented,
  sendChatAction,
  setMessageReaction,
} from './misc';
import { sendMedia } from './send-media';
import { sendMediaGroup } from './send-media-group';
import { sendMessage } from './send-message';
import { deleteWebhook, getUpdates, getWebhookInfo, setWebhook } from './updates';

/** Methods with real behaviour; keys are Telegram's method names. */
const HANDLERS: Record<string, MethodHandler> = {
  getMe,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  sendMessage,
  sendPhoto: sendMedia('photo', 'photo'),
  sendDocument: sendMedia('document', 'document'),
  sendAudio: sendMedia('audio', 'audio'),
  sendVoice: sendMedia('voice', 'voice'),
  sendVideo: sendMedia('video', 'video'),
  sendAnimation: sendMedia('animation', 'animation'),
  sendVideoNote: sendMedia('video_note', 'video_note'),
  sendSticker: sendMedia('sticker', 'sticker'),
  sendMediaGroup,
  getFile,
  forwardMessage,
  copyMessage,
  setMessageReaction,
  sendChatAction,
  editMessageText,
  editMessageCaption,
  deleteMessage,
};

/**
 * The handler for a method api.json knows. Methods without behaviour here are still validated;
 * those that return just True are accepted as no-ops, the rest answer 501.
 */
export function handlerFor(method: ApiMethod): MethodHandler {
  const handler = HANDLERS[method.name];
  if (handler) return handler;
  if (method.returns.length === 1 && ['True', 'Boolean'].includes(method.returns[0])) {
    return acceptTrue;
  }
  return notImplemented;
}

export const IMPLEMENTED_METHODS = Object.keys(HANDLERS);
