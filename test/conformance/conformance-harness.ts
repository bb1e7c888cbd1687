/**
 * What a plugin supplies to the conformance kit: a harness around its platform simulator.
 */
import type {
  AdapterWebhookRequest,
  AttachmentKind,
  BinaryAttachmentKind,
  Credentials,
  RichTextFeature,
} from '../../src/core/adapter';
import type { AttachmentFixture } from './fixtures';

/** A platform account the harness created; the kit only reads `credentials`. */
export interface HarnessAccount {
  credentials: Credentials;
}

/**
 * Something a customer does on the platform. All of an account's customer events happen in one
 * conversation of the harness's choosing (the kit learns its id from the first inbound event).
 */
export type CustomerEvent =
  | { kind: 'text'; text: string }
  | { kind: 'attachment'; attachment: AttachmentFixture }
  | { kind: 'reply'; text: string; inReplyToExternalId: string }
  | { kind: 'edit'; externalMessageId: string; text: string }
  /** The customer reads business messages (ids as `send` returned them). */
  | { kind: 'read'; externalMessageIds: string[] };

export interface InjectedCustomerEvent {
  /** The platform's id of the customer message created or edited, when there is one. */
  externalMessageId?: string;
}

/** A span of formatting the platform will render, read back from its native markup. */
export interface RichTextSpan {
  feature: RichTextFeature;
  text: string;
  /** HYPERLINK: the target. */
  url?: string;
}

/** A message the platform received from `send`, read back by the harness. */
export interface PlatformReceivedMessage {
  externalMessageId: string;
  conversationExternalId: string;
  /** The text a reader sees (markup removed). */
  text: string;
  richText: RichTextSpan[];
  attachments: {
    kind?: BinaryAttachmentKind;
    fileName?: string;
    mimeType?: string;
    bytes: Buffer;
  }[];
  inReplyToExternalId?: string;
}

/** The gateway side of an account, as the kit created it. */
export interface AccountConnection {
  accountId: string;
  /** `<relay>/adapters/<id>/<accountId>`, like the gateway's `${PUBLIC_URL}/adapters/...`. */
  webhookUrl: string;
}

export type SendFailure =
  { type: 'rate-limit'; retryAfterMs: number } | { type: 'permanent'; reason?: string };

export interface ConformanceHarness<TAccount extends HarnessAccount = HarnessAccount> {
  /** Starts the platform simulator (e.g. an HTTP server on port 0). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The plugin's `adapters.<id>` settings pointing at the simulator (validated by the kit). */
  pluginSettings(): Record<string, unknown>;
  /** A fresh platform account whose credentials `validateCredentials` accepts. */
  createAccount(): Promise<TAccount>;
  /** Well-formed credentials the platform rejects (unknown or revoked token...). */
  invalidCredentials(): Promise<Credentials[]>;
  /** Per-account settings for the AccountContext (default `{}`). */
  accountSettings?(account: TAccount): Record<string, unknown>;
  /**
   * Called once the kit created the account's context, before it starts receiving: for platforms
   * whose webhook registration names the account's webhook URL, which only exists now (a Matrix
   * appservice registration's `url`). Platforms that learn the URL in `startReceiving` skip it.
   */
  accountConnected?(account: TAccount, connection: AccountConnection): Promise<void>;
  /**
   * Waits until the platform delivered everything it has queued for the account (pushed
   * webhooks in flight), so that a check comparing the account's state before and after a
   * request is not disturbed by genuine traffic. Default: nothing to wait for.
   */
  settle?(account: TAccount): Promise<void>;
  injectCustomerEvent(account: TAccount, event: CustomerEvent): Promise<InjectedCustomerEvent>;
  /** Makes the platform deliver its last delivered event again (as after a lost acknowledgement). */
  redeliverLastEvent(account: TAccount): Promise<void>;
  /** Everything the platform received from `send` for this account, oldest first. */
  receivedMessages(account: TAccount): Promise<PlatformReceivedMessage[]>;
  /** The next send to this account fails on the platform this way. */
  failNextSend(account: TAccount, failure: SendFailure): Promise<void>;
  /**
   * The sample to use for an attachment kind, when the kit's default (`fixtures.ts`) does not suit
   * the platform (e.g. it only takes JPEG photos). Return undefined for the default.
   */
  attachmentFixture?(
    kind: AttachmentKind,
    direction: 'inbound' | 'outbound',
  ): AttachmentFixture | undefined;
  /**
   * Forgeries of a genuine webhook request that the adapter must answer 401. Default: the request
   * without its signature-like headers (names containing sign, secret, token, auth or hmac).
   */
  forgeWebhookRequests?(genuine: AdapterWebhookRequest): AdapterWebhookRequest[];
}
