/**
 * The state one conformance run shares between its checks: the harness, the adapter created
 * from the plugin, the webhook relay, and the accounts and contexts created so far.
 */
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Readable } from 'node:stream';
import type {
  AdapterManifest,
  AttachmentKind,
  BinaryAttachmentKind,
  ChannelAdapter,
  ConversationRef,
  GatewayPlugin,
  InboundEvent,
  InboundMessageEvent,
  OutboundAttachment,
  OutboundMessage,
  SendResult,
} from '../../src/core/adapter';
import type {
  ConformanceHarness,
  CustomerEvent,
  HarnessAccount,
  InjectedCustomerEvent,
  PlatformReceivedMessage,
} from './conformance-harness';
import type { AdapterConformanceOptions } from './conformance-options';
import {
  attachmentFixture,
  binaryFixture,
  type AttachmentFixture,
  type BinaryFixture,
} from './fixtures';
import { InMemoryAccountContext } from './in-memory-account-context';
import { PublicFileHost } from './public-file-host';
import { RecordingLogger } from './recording-logger';
import { WebhookRelay } from './webhook-relay';

export interface ConformanceAccount<TAccount extends HarnessAccount = HarnessAccount> {
  platform: TAccount;
  context: InMemoryAccountContext;
}

/** The account most checks share, receiving, with the conversation its first message opened. */
export interface MainAccount<
  TAccount extends HarnessAccount = HarnessAccount,
> extends ConformanceAccount<TAccount> {
  conversation: ConversationRef;
  firstMessage: InboundMessageEvent;
}

export const FIRST_MESSAGE_TEXT = 'Hello from the conformance kit';

export class ConformanceSession<TSettings extends object, TAccount extends HarnessAccount> {
  readonly manifest: AdapterManifest;
  readonly eventTimeoutMs: number;
  readonly quietPeriodMs: number;
  readonly contexts: InMemoryAccountContext[] = [];
  readonly pluginLogger = new RecordingLogger();
  /** Serves outbound attachments at public URLs, as HubSpot's signed file URLs do. */
  readonly files = new PublicFileHost();
  harness!: ConformanceHarness<TAccount>;
  relay!: WebhookRelay;
  adapter!: ChannelAdapter;
  settings!: TSettings;
  private readonly receiving = new Set<string>();
  private main?: Promise<MainAccount<TAccount>>;
  private sequence = 0;

  constructor(readonly options: AdapterConformanceOptions<TSettings, TAccount>) {
    this.manifest = options.plugin.manifest;
    this.eventTimeoutMs = options.eventTimeoutMs ?? 3000;
    this.quietPeriodMs = options.quietPeriodMs ?? 300;
  }

  async start(): Promise<void> {
    this.harness = this.options.harness();
    await this.harness.start();
    this.relay = new WebhookRelay(this.manifest.id, () => this.adapter);
    await this.relay.start();
    await this.files.start();
    this.settings = await validatePluginSettings(
      this.options.plugin,
      this.harness.pluginSettings(),
    );
    this.adapter = this.options.plugin.createAdapter({
      settings: this.settings,
      publicUrl: this.relay.url,
      logger: this.pluginLogger,
    });
  }

  async stop(): Promise<void> {
    for (const accountId of this.receiving) {
      await this.adapter?.stopReceiving(accountId).catch(() => undefined);
    }
    await this.adapter?.shutdown?.();
    await this.relay?.stop();
    await this.files.stop();
    await this.harness?.stop();
  }

  /** A fresh platform account with its AccountContext (not receiving). */
  async newAccount(): Promise<ConformanceAccount<TAccount>> {
    const platform = await this.harness.createAccount();
    const accountId = `conformance-${++this.sequence}`;
    const context = new InMemoryAccountContext({
      accountId,
      credentials: platform.credentials,
      settings: this.harness.accountSettings?.(platform) ?? {},
      webhookUrl: this.relay.webhookUrl(accountId),
    });
    this.relay.register(context);
    this.contexts.push(context);
    await this.harness.accountConnected?.(platform, { accountId, webhookUrl: context.webhookUrl });
    return { platform, context };
  }

  async startReceiving(account: ConformanceAccount<TAccount>): Promise<void> {
    this.receiving.add(account.context.accountId);
    this.relay.markActive(account.context.accountId);
    await this.adapter.startReceiving(account.context);
  }

  /** Stops the account as the gateway does when it is deactivated (webhooks no longer routed). */
  async stopReceiving(account: ConformanceAccount<TAccount>): Promise<void> {
    this.relay.markStopped(account.context.accountId);
    await this.adapter.stopReceiving(account.context.accountId);
    this.receiving.delete(account.context.accountId);
  }

  mainAccount(): Promise<MainAccount<TAccount>> {
    this.main ??= (async () => {
      const account = await this.newAccount();
      await this.startReceiving(account);
      const { event } = await this.inject(account, { kind: 'text', text: FIRST_MESSAGE_TEXT });
      if (event.type !== 'message') throw new Error(`first event is a "${event.type}" event`);
      return { ...account, conversation: event.conversation, firstMessage: event };
    })();
    return this.main;
  }

  /** Injects a customer event and waits for the first event emitted after it (matching). */
  async inject(
    account: ConformanceAccount<TAccount>,
    customerEvent: CustomerEvent,
    predicate: (event: InboundEvent) => boolean = () => true,
  ): Promise<{ injected: InjectedCustomerEvent; event: InboundEvent }> {
    const since = account.context.emitted.length;
    const injected = await this.harness.injectCustomerEvent(account.platform, customerEvent);
    const event = await account.context.waitForEvent(predicate, {
      since,
      timeoutMs: this.eventTimeoutMs,
    });
    return { injected, event };
  }

  /** The inbound sample of a kind: the harness's choice, else the kit's first fixture. */
  inboundFixture(kind: AttachmentKind): AttachmentFixture {
    return this.harness.attachmentFixture?.(kind, 'inbound') ?? attachmentFixture(kind);
  }

  /** The outbound sample of a kind: the harness's choice, else one allowedMimeTypes accepts. */
  outboundFixture(kind: BinaryAttachmentKind): BinaryFixture {
    const chosen = this.harness.attachmentFixture?.(kind, 'outbound');
    if (chosen && chosen.kind === kind) return chosen as BinaryFixture;
    const fixture = binaryFixture(kind, this.manifest.outbound.allowedMimeTypes);
    if (!fixture) throw new Error(`no ${kind} fixture has a MIME type in allowedMimeTypes`);
    return fixture;
  }

  /** An agent's attachment as the gateway hands it over: bytes on demand and a public URL. */
  outboundAttachment(fixture: BinaryFixture): OutboundAttachment {
    const publicUrl = this.files.publish({
      bytes: fixture.bytes,
      mimeType: fixture.mimeType,
      fileName: fixture.fileName,
    });
    return outboundAttachment(fixture, publicUrl);
  }

  outboundMessage(
    conversation: ConversationRef,
    content: Partial<Omit<OutboundMessage, 'conversation' | 'idempotencyKey'>>,
  ): OutboundMessage {
    return {
      idempotencyKey: `conformance-reply-${++this.sequence}`,
      conversation,
      text: '',
      attachments: [],
      ...content,
    };
  }

  /** Sends, then reads back from the platform the messages `send` returned, in that order. */
  async sendAndRead(
    account: ConformanceAccount<TAccount>,
    message: OutboundMessage,
  ): Promise<{ result: SendResult; received: PlatformReceivedMessage[] }> {
    const result = await this.adapter.send(account.context, message);
    const all = await this.harness.receivedMessages(account.platform);
    const received = result.externalMessageIds.map((id) => {
      const found = all.find((m) => m.externalMessageId === id);
      if (!found) throw new Error(`send returned id ${id}, which the platform does not know`);
      return found;
    });
    return { result, received };
  }
}

export function outboundAttachment(fixture: BinaryFixture, publicUrl?: string): OutboundAttachment {
  const attachment: OutboundAttachment = {
    kind: fixture.kind,
    fileName: fixture.fileName,
    mimeType: fixture.mimeType,
    sizeBytes: fixture.bytes.length,
    open: async () => Readable.from([fixture.bytes]),
  };
  if (publicUrl !== undefined) attachment.publicUrl = publicUrl;
  return attachment;
}

/** Validates raw settings like the gateway does (whitelist, unknown keys rejected). */
export async function validatePluginSettings<TSettings extends object>(
  plugin: GatewayPlugin<TSettings>,
  raw: Record<string, unknown>,
): Promise<TSettings> {
  if (!plugin.settingsClass) return raw as TSettings;
  const settings = plainToInstance(plugin.settingsClass, raw);
  const errors = await validate(settings, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const detail = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {})}`);
    throw new Error(`adapters.${plugin.manifest.id} settings are invalid: ${detail.join('; ')}`);
  }
  return settings;
}
