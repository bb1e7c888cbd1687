/**
 * The conformance harness of the Echo plugin: an EchoPlatformServer on loopback, driven over HTTP
 * like the gateway's e2e tests do.
 */
import type { AdapterWebhookRequest, RichTextFeature } from '../../../src/core/adapter';
import type {
  ConformanceHarness,
  CustomerEvent,
  HarnessAccount,
  PlatformReceivedMessage,
  RichTextSpan,
} from '../../../test/conformance';
import { decodeEntities, tokenizeMarkup, visibleText } from '../echo-markup';
import type { CustomerMessageInput, SentMessageView } from '../echo-platform';
import { EchoPlatformServer } from '../echo-platform-server';
import { ECHO_SIGNATURE_HEADER } from '../echo-platform.types';
import { signEchoWebhook } from '../echo-webhook-signature';
import { EchoControlClient } from './echo-control.client';

export interface EchoHarnessAccount extends HarnessAccount {
  id: string;
  chatId: string;
}

export function createEchoConformanceHarness(): ConformanceHarness<EchoHarnessAccount> {
  const server = new EchoPlatformServer();
  let control: EchoControlClient | undefined;
  const api = (): EchoControlClient => {
    if (!control) throw new Error('harness not started');
    return control;
  };

  return {
    async start() {
      control = new EchoControlClient(await server.start());
    },
    stop: () => server.stop(),
    pluginSettings: () => ({ platformUrl: server.url }),
    async createAccount() {
      const account = await api().createAccount();
      return { credentials: { token: account.token }, id: account.id, chatId: 'chat-customer-1' };
    },
    async invalidCredentials() {
      const revoked = await api().createAccount();
      await api().revokeAccount(revoked.id);
      return [{ token: 'echo_unknown0000000000' }, { token: revoked.token }, { token: 'nope' }];
    },
    async injectCustomerEvent(account, event) {
      const result = await inject(api(), account, event);
      return { externalMessageId: result.message_id };
    },
    async redeliverLastEvent(account) {
      await api().post(`/control/accounts/${account.id}/redeliver`, {});
    },
    async receivedMessages(account) {
      return (await api().sent(account.id)).map(toReceived);
    },
    async failNextSend(account, failure) {
      await api().post(
        `/control/accounts/${account.id}/faults`,
        failure.type === 'rate-limit'
          ? { type: 'rate_limited', retry_after_seconds: Math.ceil(failure.retryAfterMs / 1000) }
          : { type: 'recipient_blocked', description: failure.reason },
      );
    },
    forgeWebhookRequests: (genuine) => forgeries(genuine),
  };
}

function inject(
  control: EchoControlClient,
  account: EchoHarnessAccount,
  event: CustomerEvent,
): Promise<{ message_id?: string }> {
  const path = `/control/accounts/${account.id}/customer`;
  const chat_id = account.chatId;
  switch (event.kind) {
    case 'text':
      return control.post(`${path}/messages`, { chat_id, text: event.text });
    case 'reply':
      return control.post(`${path}/messages`, {
        chat_id,
        text: event.text,
        reply_to_message_id: event.inReplyToExternalId,
      });
    case 'edit':
      return control.post(`${path}/edits`, {
        message_id: event.externalMessageId,
        text: event.text,
      });
    case 'read':
      return control.post(`${path}/reads`, {
        chat_id,
        up_to_message_id: event.externalMessageIds[event.externalMessageIds.length - 1],
      });
    case 'attachment':
      return control.post(`${path}/messages`, {
        chat_id,
        attachments: [toControlAttachment(event)],
      });
  }
}

function toControlAttachment(
  event: Extract<CustomerEvent, { kind: 'attachment' }>,
): NonNullable<CustomerMessageInput['attachments']>[number] {
  const a = event.attachment;
  if (a.kind === 'location') {
    return { kind: 'location', latitude: a.latitude, longitude: a.longitude, title: a.name };
  }
  if (a.kind === 'contact') {
    return {
      kind: 'contact',
      first_name: a.firstName ?? '',
      last_name: a.lastName,
      phone_number: a.phones[0]?.phone ?? '',
      email: a.emails[0]?.email,
      organization: a.organization,
    };
  }
  return {
    kind: a.kind,
    file_name: a.fileName,
    mime_type: a.mimeType,
    data_base64: a.bytes.toString('base64'),
  };
}

function toReceived(message: SentMessageView): PlatformReceivedMessage {
  return {
    externalMessageId: message.message_id,
    conversationExternalId: message.chat.id,
    text: message.html !== undefined ? visibleText(message.html) : message.text,
    richText: message.html !== undefined ? richTextSpans(message.html) : [],
    attachments: message.attachments.map((a) => ({
      kind: a.kind,
      fileName: a.file_name,
      mimeType: a.mime_type,
      bytes: Buffer.from(a.data_base64, 'base64'),
    })),
    inReplyToExternalId: message.reply_to_message_id,
  };
}

const FEATURES: Record<string, RichTextFeature> = { b: 'BOLD', i: 'ITALIC', a: 'HYPERLINK' };

/** Reads Echo markup back as formatted spans (the text inside each b, i and a element). */
export function richTextSpans(markup: string): RichTextSpan[] {
  const spans: RichTextSpan[] = [];
  const open: { tag: string; href?: string; start: number }[] = [];
  let text = '';
  for (const token of tokenizeMarkup(markup)) {
    if (token.type === 'text') text += decodeEntities(token.text);
    else if (token.type === 'open')
      open.push({ tag: token.tag, href: token.href, start: text.length });
    else {
      const index = open.map((o) => o.tag).lastIndexOf(token.tag);
      if (index < 0) continue;
      const [element] = open.splice(index, 1);
      const feature = FEATURES[element.tag];
      if (!feature) continue;
      const span: RichTextSpan = { feature, text: text.slice(element.start) };
      if (feature === 'HYPERLINK') span.url = element.href;
      spans.push(span);
    }
  }
  return spans;
}

function forgeries(genuine: AdapterWebhookRequest): AdapterWebhookRequest[] {
  const { [ECHO_SIGNATURE_HEADER]: _signature, ...unsigned } = genuine.headers;
  const tampered = Buffer.concat([genuine.rawBody, Buffer.from(' ')]);
  return [
    { ...genuine, headers: unsigned },
    {
      ...genuine,
      headers: {
        ...unsigned,
        [ECHO_SIGNATURE_HEADER]: signEchoWebhook('wrong-secret', genuine.rawBody),
      },
    },
    { ...genuine, rawBody: tampered },
    { ...genuine, headers: { ...unsigned, [ECHO_SIGNATURE_HEADER]: 'sha256=' } },
  ];
}
