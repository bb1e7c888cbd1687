import { Readable } from 'node:stream';
import {
  type AdapterManifest,
  type OutboundAttachment,
  type OutboundCapabilities,
  PermanentError,
} from '../../core/adapter';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import type { Conversation } from '../../core/persistence/models/conversation.model';
import type { AgentAttachmentSource, AttachmentOptions } from './agent-attachment-source';
import type { AgentFile, AgentMessage } from './agent-message';
import { OutboundMessageBuilder } from './outbound-message-builder';
import { openOutboundTestDb, type OutboundTestDb } from './testing/outbound-test-db';

const outbound = (overrides: Partial<OutboundCapabilities> = {}): OutboundCapabilities => ({
  formatting: 'html',
  richText: ['BOLD', 'HYPERLINK'],
  attachments: ['image', 'file'],
  allowedMimeTypes: ['image/*', 'application/pdf'],
  maxAttachmentCount: 2,
  maxAttachmentSizeBytes: 1000,
  maxTextLength: 1000,
  replies: true,
  readReceipts: true,
  asyncDeliveryStatus: false,
  ...overrides,
});

const manifest = (caps: OutboundCapabilities): AdapterManifest => ({
  id: 'echo',
  displayName: 'Echo',
  description: 'test',
  version: '1.0.0',
  deliveryIdentifierType: 'CHANNEL_SPECIFIC_OPAQUE_ID',
  credentials: [],
  inbound: { attachments: [], edits: false, replies: false },
  outbound: caps,
});

const agent = (overrides: Partial<AgentMessage> = {}): AgentMessage => ({
  messageId: 'hs-9',
  portalId: '77',
  channelId: '5',
  channelAccountId: 'acc-1',
  integrationThreadIds: [],
  text: 'Hello Bob, see https://example.com',
  richText: '<p>Hello <strong>Bob</strong>, see <a href="https://example.com">our site</a></p>',
  files: [],
  otherAttachmentTypes: [],
  agentName: 'Ada Agent',
  recipient: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'customer-1' },
  ...overrides,
});

/** Describes each file as the test says, like HubSpot's metadata would. */
class FakeAttachmentSource {
  calls: { portalId: string; files: readonly AgentFile[]; options: AttachmentOptions }[] = [];
  constructor(private readonly describe: (file: AgentFile) => Omit<OutboundAttachment, 'open'>) {}

  prepare(
    portalId: string,
    files: readonly AgentFile[],
    options: AttachmentOptions,
  ): Promise<OutboundAttachment[]> {
    this.calls.push({ portalId, files, options });
    return Promise.resolve(
      files.map((file) => ({
        ...this.describe(file),
        open: () => Promise.resolve(Readable.from([Buffer.from(file.fileId ?? '')])),
      })),
    );
  }
}

describe('OutboundMessageBuilder', () => {
  let db: OutboundTestDb;
  let account: ChannelAccount;
  let chat: Conversation;
  let source: FakeAttachmentSource;
  let builder: OutboundMessageBuilder;

  beforeEach(async () => {
    db = await openOutboundTestDb();
    account = await db.boundAccount('acc-1');
    chat = await db.conversation(account, 'chat-1', { threadId: 't-1' });
    source = new FakeAttachmentSource((file) => ({
      kind: file.usage === 'IMAGE' ? 'image' : 'file',
      fileName: file.name ?? 'file.bin',
      mimeType: file.name?.endsWith('.png') ? 'image/png' : 'application/pdf',
      sizeBytes: 100,
    }));
    builder = new OutboundMessageBuilder(
      source as unknown as AgentAttachmentSource,
      db.repos.messages,
    );
  });
  afterEach(() => db.close());

  it('builds text, the declared HTML subset, recipient, agent and idempotency key', async () => {
    const message = await builder.build(agent(), chat, manifest(outbound()));
    expect(message).toEqual({
      idempotencyKey: 'hs-9',
      conversation: { externalId: 'chat-1', isGroup: false },
      recipient: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'customer-1' },
      text: 'Hello Bob, see our site (https://example.com)',
      html: 'Hello <b>Bob</b>, see <a href="https://example.com">our site</a>',
      attachments: [],
      agentName: 'Ada Agent',
    });
  });

  it('sends plain text with readable links to a plain adapter', async () => {
    const message = await builder.build(agent(), chat, manifest(outbound({ formatting: 'plain' })));
    expect(message.text).toBe('Hello Bob, see our site (https://example.com)');
    expect(message).not.toHaveProperty('html');
  });

  it('uses the plain text when there is no rich text', async () => {
    const message = await builder.build(
      agent({ richText: undefined, text: 'a < b' }),
      chat,
      manifest(outbound()),
    );
    expect(message).toMatchObject({ text: 'a < b', html: 'a &lt; b' });
  });

  it('maps the replied-to HubSpot message to its platform id, only within the conversation', async () => {
    const { message: original } = await db.repos.messages.recordOutbound({
      accountId: account.id,
      conversationId: chat.id,
      idempotencyKey: 'hs-1',
      hubspotMessageId: 'hs-1',
    });
    await db.repos.messages.markSent(original.id, ['p-1a', 'p-1b']);
    const reply = await builder.build(agent({ inReplyToId: 'hs-1' }), chat, manifest(outbound()));
    expect(reply.inReplyToExternalId).toBe('p-1a');

    const noReplies = await builder.build(
      agent({ inReplyToId: 'hs-1' }),
      chat,
      manifest(outbound({ replies: false })),
    );
    expect(noReplies).not.toHaveProperty('inReplyToExternalId');

    const elsewhere = await db.conversation(account, 'chat-2');
    const other = await builder.build(
      agent({ inReplyToId: 'hs-1' }),
      elsewhere,
      manifest(outbound()),
    );
    expect(other).not.toHaveProperty('inReplyToExternalId');
    const unknown = await builder.build(
      agent({ inReplyToId: 'hs-404' }),
      chat,
      manifest(outbound()),
    );
    expect(unknown).not.toHaveProperty('inReplyToExternalId');
  });

  it('passes attachments from HubSpot with the adapter size limit for downloads', async () => {
    const signal = new AbortController().signal;
    const message = await builder.build(
      agent({
        files: [
          { fileId: 'f1', usage: 'IMAGE', name: 'a.png' },
          { fileId: 'f2', usage: 'OTHER', name: 'b.pdf' },
        ],
      }),
      chat,
      manifest(outbound()),
      signal,
    );
    expect(message.attachments.map((a) => [a.kind, a.fileName, a.mimeType])).toEqual([
      ['image', 'a.png', 'image/png'],
      ['file', 'b.pdf', 'application/pdf'],
    ]);
    expect(source.calls[0]).toMatchObject({ portalId: '77', options: { maxBytes: 1000, signal } });
  });

  it('sends an attachment-only message (empty text)', async () => {
    const message = await builder.build(
      agent({
        text: '',
        richText: undefined,
        files: [{ fileId: 'f1', usage: 'IMAGE', name: 'a.png' }],
      }),
      chat,
      manifest(outbound()),
    );
    expect(message.text).toBe('');
    expect(message.attachments).toHaveLength(1);
  });

  it('refuses what the adapter cannot send, before downloading anything', async () => {
    const files: AgentFile[] = [{ fileId: 'f1', usage: 'IMAGE', name: 'a.png' }];
    await expect(
      builder.build(agent({ files }), chat, manifest(outbound({ attachments: [] }))),
    ).rejects.toThrow(new PermanentError('Echo cannot send attachments, only text'));
    await expect(
      builder.build(agent({ files: [...files, ...files, ...files] }), chat, manifest(outbound())),
    ).rejects.toThrow('Echo accepts at most 2 attachments per message (this one has 3)');
    expect(source.calls).toEqual([]);
    await expect(
      builder.build(
        agent({ files }),
        chat,
        manifest(outbound({ allowedMimeTypes: ['application/pdf'] })),
      ),
    ).rejects.toThrow('Echo does not accept files of type image/png (a.png)');
  });

  it('refuses an empty message', async () => {
    await expect(
      builder.build(agent({ text: '  ', richText: '<p> </p>' }), chat, manifest(outbound())),
    ).rejects.toBeInstanceOf(PermanentError);
  });
});
