/**
 * The conformance harness of the Telegram plugin: the Telegram Bot API simulator on loopback,
 * driven through its control API; the adapter runs in webhook mode against it.
 */
import type { AdapterWebhookRequest, RichTextFeature } from '../../../src/core/adapter';
import type {
  ConformanceHarness,
  CustomerEvent,
  HarnessAccount,
  PlatformReceivedMessage,
  RichTextSpan,
} from '../../../test/conformance';
import {
  startTelegramSimulator,
  type SentRecord,
  type SimMessageInput,
  type TelegramSimulator,
  type TgMessageEntity,
  type TgUpdate,
} from '../../../test/simulators/telegram';

export interface TelegramHarnessAccount extends HarnessAccount {
  token: string;
  chatId: number;
  userId: number;
  lastUpdate?: TgUpdate;
}

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Adapter flood limits high enough never to wait (for simulators without limits). */
export const UNLIMITED = {
  botMessagesPerSecond: 1000,
  chatMessagesPerSecond: 100,
  groupMessagesPerMinute: 6000,
};

export function createTelegramConformanceHarness(
  settings: Record<string, unknown> = {},
): ConformanceHarness<TelegramHarnessAccount> {
  let simulator: TelegramSimulator | undefined;
  const sim = (): TelegramSimulator => {
    if (!simulator) throw new Error('harness not started');
    return simulator;
  };
  let bots = 0;

  return {
    async start() {
      simulator = await startTelegramSimulator({
        rateLimits: false,
        logRequests: false,
        webhook: { retryBaseMs: 50, retryMaxMs: 500, timeoutMs: 5000 },
      });
    },
    stop: async () => simulator?.close(),
    // The simulator's flood limits are off here, so the adapter's own are lifted too.
    pluginSettings: () => ({
      apiRoot: sim().baseUrl,
      mode: 'webhook',
      ...UNLIMITED,
      ...settings,
    }),
    async createAccount() {
      const bot = await sim().createBot({
        username: `conformance_${++bots}_bot`,
        first_name: `Support ${bots}`,
      });
      const { user, chat } = await sim().createCustomer({
        first_name: 'Zoë',
        last_name: 'Ng',
        username: `customer${bots}`,
      });
      return {
        credentials: { botToken: bot.token },
        token: bot.token,
        chatId: chat.id,
        userId: user.id,
      };
    },
    async invalidCredentials() {
      const id = 900_000_000 + bots;
      return [
        { botToken: `${id}:AAHunknownTokenunknownTokenunknown12` },
        { botToken: 'not-a-token' },
      ];
    },
    async injectCustomerEvent(account, event) {
      const injected = await inject(sim(), account, event);
      if (injected.update) account.lastUpdate = injected.update;
      return { externalMessageId: `${injected.message.chat.id}:${injected.message.message_id}` };
    },
    async redeliverLastEvent(account) {
      // Telegram redelivers an update whose acknowledgement got lost: the same body and secret.
      const update = account.lastUpdate;
      const { config } = await sim().webhookState(account.token);
      if (!update || !config) throw new Error('nothing to redeliver (no update or no webhook)');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (config.secretToken) headers[SECRET_HEADER] = config.secretToken;
      const response = await fetch(config.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
      });
      if (!response.ok) throw new Error(`redelivery answered ${response.status}`);
    },
    async receivedMessages(account) {
      const records = await sim().sentMessages(account.token, account.chatId);
      const out: PlatformReceivedMessage[] = [];
      for (const record of records) out.push(...(await toReceived(sim(), account.token, record)));
      return out;
    },
    async failNextSend(account, failure) {
      await sim().addFault(
        failure.type === 'rate-limit'
          ? {
              token: account.token,
              kind: 'error',
              status: 429,
              retry_after: Math.ceil(failure.retryAfterMs / 1000),
              count: 1,
            }
          : {
              token: account.token,
              kind: 'error',
              status: 403,
              description: 'Forbidden: bot was blocked by the user',
              count: 1,
            },
      );
    },
    forgeWebhookRequests: (genuine) => forgeries(genuine),
  };
}

function inject(
  sim: TelegramSimulator,
  account: TelegramHarnessAccount,
  event: CustomerEvent,
): Promise<{ update?: TgUpdate; message: { chat: { id: number }; message_id: number } }> {
  const chat_id = account.chatId;
  switch (event.kind) {
    case 'text':
      return sim.injectMessage(account.token, { chat_id, text: event.text });
    case 'reply':
      return sim.injectMessage(account.token, {
        chat_id,
        text: event.text,
        reply_to_message_id: Number(event.inReplyToExternalId.split(':')[1]),
      });
    case 'edit':
      return sim.injectEdit(account.token, {
        chat_id,
        message_id: Number(event.externalMessageId.split(':')[1]),
        text: event.text,
      });
    case 'read':
      throw new Error('Telegram has no read receipts for bots');
    case 'attachment':
      return sim.injectMessage(account.token, { chat_id, ...attachmentInput(event.attachment) });
  }
}

function attachmentInput(
  a: Extract<CustomerEvent, { kind: 'attachment' }>['attachment'],
): Omit<SimMessageInput, 'chat_id'> {
  if (a.kind === 'location') {
    return { location: { latitude: a.latitude, longitude: a.longitude } };
  }
  if (a.kind === 'contact') {
    return {
      contact: {
        phone_number: a.phones[0]?.phone ?? '',
        first_name: a.firstName ?? '',
        last_name: a.lastName,
      },
    };
  }
  const media = { data: a.bytes, file_name: a.fileName, mime_type: a.mimeType };
  switch (a.kind) {
    case 'image':
      return { photo: media };
    case 'file':
      return { document: media };
    case 'sticker':
      return { sticker: { ...media, emoji: '👍' } };
    default:
      return { [a.kind]: media };
  }
}

const FEATURES: Record<string, RichTextFeature> = {
  bold: 'BOLD',
  italic: 'ITALIC',
  underline: 'UNDERLINE',
  text_link: 'HYPERLINK',
  blockquote: 'BLOCKQUOTE',
};

/** Formatted spans, read back from the entities Telegram parsed out of the HTML. */
export function spansOf(text: string, entities: TgMessageEntity[] = []): RichTextSpan[] {
  return entities.flatMap((entity) => {
    const feature = FEATURES[entity.type];
    if (!feature) return [];
    const span: RichTextSpan = {
      feature,
      text: text.slice(entity.offset, entity.offset + entity.length),
    };
    if (feature === 'HYPERLINK') span.url = entity.url;
    return [span];
  });
}

const MEDIA_KINDS = [
  ['photo', 'image'],
  ['video', 'video'],
  ['audio', 'audio'],
  ['voice', 'voice'],
  ['document', 'file'],
] as const;

interface FileRef {
  file_id: string;
  file_name?: string;
  mime_type?: string;
}

async function toReceived(
  sim: TelegramSimulator,
  token: string,
  record: SentRecord,
): Promise<PlatformReceivedMessage[]> {
  const out: PlatformReceivedMessage[] = [];
  for (const raw of record.messages) {
    const message = raw as {
      message_id: number;
      chat: { id: number };
      text?: string;
      entities?: TgMessageEntity[];
      caption?: string;
      caption_entities?: TgMessageEntity[];
      reply_to_message?: { message_id: number; chat: { id: number } };
    } & Record<string, unknown>;
    const text = message.text ?? message.caption ?? '';
    const attachments: PlatformReceivedMessage['attachments'] = [];
    for (const [field, kind] of MEDIA_KINDS) {
      const value = message[field];
      if (!value) continue;
      const file = (Array.isArray(value) ? value[value.length - 1] : value) as FileRef;
      attachments.push({
        kind,
        fileName: file.file_name,
        mimeType: file.mime_type,
        bytes: await sim.fileContent(token, file.file_id),
      });
      break;
    }
    const received: PlatformReceivedMessage = {
      externalMessageId: `${message.chat.id}:${message.message_id}`,
      conversationExternalId: String(message.chat.id),
      text,
      richText: spansOf(text, message.entities ?? message.caption_entities),
      attachments,
    };
    const reply = message.reply_to_message;
    if (reply) received.inReplyToExternalId = `${reply.chat.id}:${reply.message_id}`;
    out.push(received);
  }
  return out;
}

function forgeries(genuine: AdapterWebhookRequest): AdapterWebhookRequest[] {
  const { [SECRET_HEADER]: _secret, ...unsigned } = genuine.headers;
  return [
    { ...genuine, headers: unsigned },
    { ...genuine, headers: { ...unsigned, [SECRET_HEADER]: 'wrong-secret' } },
    { ...genuine, headers: { ...unsigned, [SECRET_HEADER]: '' } },
  ];
}
