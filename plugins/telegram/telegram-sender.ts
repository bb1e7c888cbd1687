/**
 * Sends one agent message to a Telegram chat: the planned steps through grammY, with the
 * recoveries Telegram asks for (supergroup migration, HTML rejected -> plain text).
 */
import { InputFile, InputMediaBuilder, type Api } from 'grammy';
import type {
  InputMediaAudio,
  InputMediaDocument,
  InputMediaPhoto,
  InputMediaVideo,
  Message,
} from 'grammy/types';
import {
  PermanentError,
  type AccountContext,
  type OutboundAttachment,
  type OutboundMessage,
  type SendResult,
} from '../../src/core/adapter';
import { multipartFileName } from './telegram-file-name';
import { currentChatId, rememberMigration } from './telegram-chat-migrations';
import { isDescribed, mapTelegramError, migrateToChatId } from './telegram-errors';
import type { TelegramTextPart } from './telegram-html';
import { isPhoto, planSend, type PlannedStep } from './telegram-outbound-plan';
import type { SendJournal } from './telegram-send-journal';
import { parseTelegramMessageId, telegramMessageId } from './telegram.mapper';

type ReplyParameters = { message_id: number; allow_sending_without_reply: true };
type Caption = { caption?: string; parse_mode?: 'HTML' };

export class TelegramSender {
  constructor(
    private readonly api: Api,
    private readonly account: AccountContext,
    private readonly journal: SendJournal,
  ) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    const steps = planSend(message);
    if (steps.length === 0) {
      throw new PermanentError('The message has neither text nor attachments');
    }
    const target = Number(message.conversation.externalId);
    if (!Number.isSafeInteger(target)) {
      throw new PermanentError(`Not a Telegram chat id: ${message.conversation.externalId}`);
    }
    const replyTo = message.inReplyToExternalId
      ? parseTelegramMessageId(message.inReplyToExternalId)
      : undefined;
    const done = await this.journal.done(message.idempotencyKey);
    const ids: string[] = [];
    for (const [index, step] of steps.entries()) {
      const recorded = done[index];
      if (recorded) {
        ids.push(...recorded);
        continue;
      }
      // Message ids are per chat: a message of the group before its migration to a supergroup
      // is not in the supergroup, and its number there would quote some other message.
      const replyIn = (chatId: number): ReplyParameters | undefined =>
        ids.length === 0 && replyTo?.chatId === chatId
          ? { message_id: replyTo.messageId, allow_sending_without_reply: true }
          : undefined;
      const sent = await this.withRecovery(target, (chatId) =>
        this.sendStep(chatId, step, replyIn(chatId)),
      );
      const stepIds = sent.map((m) => telegramMessageId(m.chat.id, m.message_id));
      await this.journal.record(message.idempotencyKey, index, stepIds);
      ids.push(...stepIds);
    }
    return { externalMessageIds: ids };
  }

  /** Runs a call on the chat's current id; follows a migration to a supergroup once. */
  private async withRecovery<T>(target: number, call: (chatId: number) => Promise<T>): Promise<T> {
    let chatId = await currentChatId(this.account.state, target);
    for (let attempt = 0; ; attempt++) {
      try {
        return await call(chatId);
      } catch (error) {
        const migrated = migrateToChatId(error);
        if (migrated === undefined || attempt > 0) throw mapTelegramError(error);
        this.account.logger.info('telegram: group migrated to a supergroup', {
          from: chatId,
          to: migrated,
        });
        await rememberMigration(this.account.state, chatId, migrated);
        chatId = migrated;
      }
    }
  }

  private async sendStep(
    chatId: number,
    step: PlannedStep,
    reply: ReplyParameters | undefined,
  ): Promise<Message[]> {
    const replyOption = reply ? { reply_parameters: reply } : {};
    if (step.type === 'text') return [await this.sendText(chatId, step.part, replyOption)];
    const caption: Caption = step.caption ? { caption: step.caption.html, parse_mode: 'HTML' } : {};
    if (step.attachments.length === 1) {
      return [await this.sendOne(chatId, step.attachments[0], { ...caption, ...replyOption })];
    }
    const media = await Promise.all(
      step.attachments.map((attachment, index) =>
        this.inputMedia(attachment, index === 0 ? caption : {}),
      ),
    );
    // planSend only groups album-compatible kinds (photo+video, documents, audio).
    const album = media as Parameters<Api['sendMediaGroup']>[1];
    return this.api.sendMediaGroup(chatId, album, replyOption);
  }

  private async sendText(
    chatId: number,
    part: TelegramTextPart,
    options: { reply_parameters?: ReplyParameters },
  ): Promise<Message> {
    try {
      return await this.api.sendMessage(chatId, part.html, { ...options, parse_mode: 'HTML' });
    } catch (error) {
      if (!isDescribed(error, /can't parse entities/i)) throw error;
      this.account.logger.warn('telegram: HTML refused, sending as plain text', {
        error: String(error),
      });
      return this.api.sendMessage(chatId, part.text, options);
    }
  }

  private async sendOne(
    chatId: number,
    attachment: OutboundAttachment,
    options: Caption & { reply_parameters?: ReplyParameters },
  ): Promise<Message> {
    const file = new InputFile(await attachment.open(), multipartFileName(attachment.fileName));
    switch (attachment.kind) {
      case 'image':
        return isPhoto(attachment)
          ? this.api.sendPhoto(chatId, file, options)
          : this.api.sendDocument(chatId, file, options);
      case 'audio':
        return this.api.sendAudio(chatId, file, options);
      case 'voice':
        return this.api.sendVoice(chatId, file, options);
      case 'video':
        return this.api.sendVideo(chatId, file, options);
      default:
        return this.api.sendDocument(chatId, file, options);
    }
  }

  private async inputMedia(
    attachment: OutboundAttachment,
    caption: Caption,
  ): Promise<InputMediaPhoto | InputMediaVideo | InputMediaAudio | InputMediaDocument> {
    const file = new InputFile(await attachment.open(), multipartFileName(attachment.fileName));
    if (attachment.kind === 'image' && isPhoto(attachment)) {
      return InputMediaBuilder.photo(file, caption);
    }
    if (attachment.kind === 'video') return InputMediaBuilder.video(file, caption);
    if (attachment.kind === 'audio') return InputMediaBuilder.audio(file, caption);
    return InputMediaBuilder.document(file, caption);
  }
}
