/**
 * The conformance harness of the Matrix plugin: the Matrix homeserver simulator on loopback, one
 * bot user, one customer and one direct room per account. The adapter talks to the simulator
 * through SyncRewindProxy, which implements `redeliverLastEvent`.
 */
import {
  type BinaryAttachmentKind,
  type Credentials,
  readHtml,
  type RichTextFeature,
} from '../../../src/core/adapter';
import type {
  ConformanceHarness,
  CustomerEvent,
  HarnessAccount,
  PlatformReceivedMessage,
  RichTextSpan,
  SendFailure,
} from '../../../test/conformance';
import {
  startMatrixSimulator,
  type FaultRule,
  type MatrixSimulator,
  type RecordedEvent,
} from '../../../test/simulators/matrix';
import { htmlToText } from '../matrix-html';
import { SyncRewindProxy } from './sync-rewind-proxy';

export interface MatrixHarnessAccount extends HarnessAccount {
  userId: string;
  accessToken: string;
  customerId: string;
  roomId: string;
}

export interface MatrixConformanceHarness extends ConformanceHarness<MatrixHarnessAccount> {
  simulator(): MatrixSimulator;
}

const MSGTYPES = { image: 'm.image', file: 'm.file', audio: 'm.audio', video: 'm.video' } as const;

export function createMatrixConformanceHarness(): MatrixConformanceHarness {
  let sim: MatrixSimulator | undefined;
  let proxy: SyncRewindProxy | undefined;
  let sequence = 0;
  const simulator = (): MatrixSimulator => {
    if (!sim) throw new Error('harness not started');
    return sim;
  };
  const proxyUrl = (): string => {
    if (!proxy) throw new Error('harness not started');
    return proxy.url;
  };

  return {
    simulator,
    async start() {
      sim = await startMatrixSimulator({ serverName: 'localhost' });
      proxy = new SyncRewindProxy(sim.baseUrl);
      await proxy.start();
    },
    async stop() {
      await proxy?.stop();
      await sim?.close();
    },
    pluginSettings: () => ({ syncTimeoutMs: 5000, syncRetryDelayMs: 50 }),
    async createAccount() {
      const n = ++sequence;
      const bot = simulator().createUser({
        user: `bot${n}`,
        password: 'bot-password',
        displayName: `Support Bot ${n}`,
      });
      const customer = simulator().createUser({
        user: `customer${n}`,
        displayName: `Customer ${n}`,
      });
      const { roomId } = simulator().createRoom({
        creator: customer.userId,
        isDirect: true,
        invite: [bot.userId],
        join: [bot.userId],
      });
      return {
        credentials: { homeserverUrl: proxyUrl(), accessToken: bot.accessToken },
        userId: bot.userId,
        accessToken: bot.accessToken,
        customerId: customer.userId,
        roomId,
      };
    },
    async invalidCredentials(): Promise<Credentials[]> {
      const revoked = simulator().createUser({ user: `revoked${++sequence}`, password: 'pw' });
      const logout = await fetch(`${simulator().baseUrl}/_matrix/client/v3/logout`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${revoked.accessToken}`,
          'content-type': 'application/json',
        },
        body: '{}',
      });
      if (!logout.ok) throw new Error(`logout failed: ${logout.status}`);
      return [
        { homeserverUrl: proxyUrl(), accessToken: 'syt_unknown_token_0000' },
        { homeserverUrl: proxyUrl(), accessToken: revoked.accessToken },
        { homeserverUrl: proxyUrl(), userId: revoked.userId, password: 'wrong password' },
      ];
    },
    async injectCustomerEvent(account, event) {
      const recorded = inject(simulator(), account, event);
      return { externalMessageId: recorded?.event.event_id };
    },
    async redeliverLastEvent(account) {
      const last = simulator()
        .events(account.roomId)
        .filter((e) => e.source === 'control')
        .pop();
      if (!last) throw new Error('nothing to redeliver');
      proxy?.rewind(account.accessToken, `s${last.pos - 1}`);
    },
    async receivedMessages(account) {
      return receivedMessages(simulator(), account);
    },
    async failNextSend(_account, failure) {
      simulator().addFault(sendFault(failure));
    },
  };
}

/** The homeserver's answer to the next send: 429 M_LIMIT_EXCEEDED or 403 M_FORBIDDEN. */
export function sendFault(failure: SendFailure): FaultRule {
  return failure.type === 'rate-limit'
    ? {
        kind: 'error',
        operationId: 'sendMessage',
        status: 429,
        errcode: 'M_LIMIT_EXCEEDED',
        retryAfterMs: failure.retryAfterMs,
        count: 1,
      }
    : {
        kind: 'error',
        operationId: 'sendMessage',
        status: 403,
        errcode: 'M_FORBIDDEN',
        error: failure.reason ?? 'You are not allowed to send messages in this room',
        count: 1,
      };
}

/** Makes the customer do `event` in the account's room through the simulator's control API. */
export function inject(
  sim: MatrixSimulator,
  account: MatrixHarnessAccount,
  event: CustomerEvent,
): RecordedEvent | undefined {
  const { roomId, customerId } = account;
  switch (event.kind) {
    case 'text':
      return sim.sendText(roomId, customerId, event.text);
    case 'reply':
      return sim.sendReply(roomId, customerId, event.inReplyToExternalId, event.text);
    case 'edit':
      return sim.sendEdit(roomId, customerId, event.externalMessageId, event.text);
    case 'read': {
      const last = event.externalMessageIds[event.externalMessageIds.length - 1];
      sim.sendReceipt(roomId, customerId, last);
      return undefined;
    }
    case 'attachment': {
      const a = event.attachment;
      if (a.kind === 'location') {
        return sim.sendLocation(roomId, customerId, `geo:${a.latitude},${a.longitude}`, a.name);
      }
      if (a.kind === 'contact') throw new Error('Matrix has no contact cards');
      const media = sim.uploadMedia(customerId, a.bytes, a.mimeType, a.fileName);
      const options = {
        url: media.contentUri,
        body: a.fileName,
        filename: a.fileName,
        mimetype: a.mimeType,
        size: a.bytes.length,
      };
      if (a.kind === 'voice') return sim.sendVoice(roomId, customerId, options);
      const msgtype = a.kind === 'sticker' ? 'm.image' : MSGTYPES[a.kind];
      return sim.sendMedia(roomId, customerId, msgtype, options);
    }
  }
}

/** What the account's bot sent to its room, read back from the simulator. */
export function receivedMessages(
  sim: MatrixSimulator,
  account: MatrixHarnessAccount,
): PlatformReceivedMessage[] {
  return sim
    .sentByGateway(account.roomId)
    .filter((e) => e.event.sender === account.userId && e.event.type === 'm.room.message')
    .map((e) => toReceived(sim, account.roomId, e));
}

const KINDS: Record<string, BinaryAttachmentKind> = {
  'm.image': 'image',
  'm.file': 'file',
  'm.audio': 'audio',
  'm.video': 'video',
};

function toReceived(
  sim: MatrixSimulator,
  roomId: string,
  recorded: RecordedEvent,
): PlatformReceivedMessage {
  const content = recorded.event.content as Record<string, unknown>;
  const html = typeof content.formatted_body === 'string' ? content.formatted_body : undefined;
  const body = typeof content.body === 'string' ? content.body : '';
  const msgtype = String(content.msgtype);
  const kind = KINDS[msgtype];
  const attachments: PlatformReceivedMessage['attachments'] = [];
  if (kind && typeof content.url === 'string') {
    const info = (content.info ?? {}) as Record<string, unknown>;
    const media = sim.mediaByUri(content.url);
    attachments.push({
      kind: kind === 'audio' && content['org.matrix.msc3245.voice'] ? 'voice' : kind,
      fileName: typeof content.filename === 'string' ? content.filename : body,
      mimeType: typeof info.mimetype === 'string' ? info.mimetype : undefined,
      bytes: media?.bytes ?? Buffer.alloc(0),
    });
  }
  const relates = (content['m.relates_to'] ?? {}) as Record<string, unknown>;
  const reply = (relates['m.in_reply_to'] ?? {}) as Record<string, unknown>;
  return {
    externalMessageId: String(recorded.event.event_id),
    conversationExternalId: roomId,
    text: kind ? '' : html !== undefined ? htmlToText(html) : body,
    richText: html !== undefined ? richTextSpans(html) : [],
    attachments,
    inReplyToExternalId: typeof reply.event_id === 'string' ? reply.event_id : undefined,
  };
}

const FEATURES: Record<string, RichTextFeature> = {
  b: 'BOLD',
  strong: 'BOLD',
  i: 'ITALIC',
  em: 'ITALIC',
  u: 'UNDERLINE',
  a: 'HYPERLINK',
  blockquote: 'BLOCKQUOTE',
  li: 'LISTS',
};

/** Reads `formatted_body` back as formatted spans (the text inside each formatting element). */
export function richTextSpans(html: string): RichTextSpan[] {
  const spans: RichTextSpan[] = [];
  const open: { tag: string; href?: string; start: number }[] = [];
  let text = '';
  // readHtml's events are balanced: each close ends the element opened last.
  readHtml(html, {
    open: (tag, attributes) => open.push({ tag, href: attributes.href, start: text.length }),
    text: (piece) => {
      text += piece;
    },
    close: () => {
      const element = open.pop();
      const feature = element && FEATURES[element.tag];
      if (!element || !feature) return;
      const span: RichTextSpan = { feature, text: text.slice(element.start) };
      if (feature === 'HYPERLINK') span.url = element.href;
      spans.push(span);
    },
  });
  return spans;
}
