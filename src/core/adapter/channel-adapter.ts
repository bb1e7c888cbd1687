/**
 * The contract every plugin implements. One adapter instance serves all channel accounts of its
 * plugin; each call names the account it is about.
 */
import type { AdapterManifest, DeliveryIdentifierType } from './manifest';
import type {
  AttachmentStream,
  InboundBinaryAttachment,
  InboundEvent,
  OutboundMessage,
  SendResult,
} from './message.model';

/** Credentials as entered in the connection popup, keyed by `CredentialField.key`. */
export type Credentials = Record<string, string>;

/** What `validateCredentials` learns about the account on the platform. */
export interface AccountIdentity {
  /** Shown as the HubSpot channel account name (e.g. the bot's name). */
  displayName: string;
  /** The account's own delivery identifier (bot @username, phone number, Matrix user id). */
  deliveryIdentifier: { type: DeliveryIdentifierType; value: string };
  /** Credentials to store instead of the entered ones (e.g. a password exchanged for a token). */
  normalizedCredentials?: Credentials;
}

/** Small persisted key/value state of one account (poll offsets, sync tokens, secrets). */
export interface AccountStateStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Atomic read-modify-write of one key, also against other gateway processes sharing the
   * database: `change` gets the current value and returns the new one (`undefined` deletes the
   * key). It runs again when another writer changed the key in between, so keep it free of side
   * effects. Resolves with what was stored.
   */
  update<T>(key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined>;
}

export interface AdapterLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Everything an adapter gets to know about one channel account. */
export interface AccountContext {
  /** The gateway's id of the account; stable, used in webhook URLs. */
  readonly accountId: string;
  readonly credentials: Credentials;
  /** Per-account settings chosen by the admin. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** `${PUBLIC_URL}/adapters/<adapter>/<accountId>`: where platform webhooks for this account go. */
  readonly webhookUrl: string;
  readonly state: AccountStateStore;
  readonly logger: AdapterLogger;
  /**
   * Hands a platform event to the gateway. Resolves once the event is durably stored, so a
   * webhook may be acknowledged (or a poll offset advanced) after it resolves. Redelivered
   * events (same eventId) are recognised and dropped by the gateway.
   */
  emit(event: InboundEvent): Promise<void>;
  /** Reports a problem that needs an operator (shown on /health), e.g. an encrypted room. */
  reportWarning(message: string): void;
}

export interface StopReceivingOptions {
  /** The account's receiving moved to another gateway process (its lease was taken over). */
  handover?: boolean;
}

/** A platform webhook request for one account, with the raw body for signature checks. */
export interface AdapterWebhookRequest {
  method: string;
  /** Path below the account's webhook URL, '' for the URL itself (e.g. '/inbound'). */
  subPath: string;
  /** The full public URL the platform called (what it signed). */
  publicUrl: string;
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string>>;
  rawBody: Buffer;
}

export interface AdapterWebhookResponse {
  status: number;
  /** Extra response headers (Retry-After, WWW-Authenticate...). */
  headers?: Record<string, string>;
  body?: string | Record<string, unknown>;
  contentType?: string;
}

export interface ChannelAdapter {
  readonly manifest: AdapterManifest;

  /** Checks credentials against the platform; throws InvalidCredentialsError with a clear reason. */
  validateCredentials(credentials: Credentials): Promise<AccountIdentity>;

  /**
   * Starts receiving for one account (registers a webhook or starts polling). With several
   * gateway processes on one database, only the process holding the account's receiver lease
   * calls it, so one poll loop / one registration runs per account.
   */
  startReceiving(account: AccountContext): Promise<void>;

  /**
   * Stops receiving for one account; must be safe to call when not started. Adapters keep the
   * AccountContext they got at start when they need it to clean up on the platform. With
   * `handover`, another gateway process receives for the account now: stop local work (poll
   * loops, timers) but leave the platform registration (webhook) in place, it is theirs.
   */
  stopReceiving(accountId: string, options?: StopReceivingOptions): Promise<void>;

  /**
   * Handles a platform webhook for an account. Verifies the platform's own signature first and
   * answers 401 without side effects when it does not match. The gateway calls it for active
   * accounts only, in ANY of its processes (behind a load balancer), also one that did not call
   * startReceiving for the account (it stands by while another process receives): handle the
   * request there too, with state kept in the account state store. Answer 503 (the platform
   * keeps the update and delivers it again) only when it cannot be handled now, e.g. the
   * account receives in another mode.
   */
  handleWebhook?(
    account: AccountContext,
    request: AdapterWebhookRequest,
  ): Promise<AdapterWebhookResponse>;

  /** Opens the bytes of an inbound attachment. Throws PermanentError (e.g. file too large). */
  openAttachment(
    account: AccountContext,
    attachment: InboundBinaryAttachment,
  ): Promise<AttachmentStream>;

  /** Sends an agent's message; throws RetryableError or PermanentError. */
  send(account: AccountContext, message: OutboundMessage): Promise<SendResult>;

  /** Releases plugin-wide resources at gateway shutdown. */
  shutdown?(): Promise<void>;
}

/** Handed to a plugin when the gateway creates its adapter. */
export interface PluginContext<TSettings> {
  /** The validated `adapters.<id>` settings. */
  settings: TSettings;
  publicUrl: string;
  logger: AdapterLogger;
}

/** What a plugin's operator command gets: the plugin's settings and where to print. */
export interface PluginCommandContext<TSettings> {
  /** The validated `adapters.<id>` settings. */
  settings: TSettings;
  /** The gateway's PUBLIC_URL (webhook URLs are built from it). */
  publicUrl: string;
  /** Prints one line of the command's output (stdout). */
  out(line: string): void;
}

/**
 * An operator command of a plugin, run as `npm run gateway -- <plugin id>:<name> [args]` when the
 * plugin is enabled (e.g. `matrix:registration`). Throw an Error with a readable message for bad
 * arguments; the CLI prints it and exits 1.
 */
export interface PluginCommand<TSettings = object> {
  name: string;
  /** Arguments as shown in the help, e.g. `[--account <id>]`. */
  usage?: string;
  description: string;
  /** Returns the process exit code. */
  run(args: string[], context: PluginCommandContext<TSettings>): Promise<number>;
}

/**
 * What `plugins/<name>/index.ts` exports as `plugin`. The settings class is a class-validator
 * DTO for the plugin's `adapters.<name>` config section (unknown keys are rejected).
 */
export interface GatewayPlugin<TSettings extends object = object> {
  manifest: AdapterManifest;
  settingsClass?: new () => TSettings;
  createAdapter(context: PluginContext<TSettings>): ChannelAdapter;
  /** Optional operator commands (`<plugin id>:<name>` on the gateway CLI). */
  commands?: PluginCommand<TSettings>[];
}

/** Identity helper that gives plugin authors type inference for their settings class. */
export function definePlugin<TSettings extends object>(
  plugin: GatewayPlugin<TSettings>,
): GatewayPlugin<TSettings> {
  return plugin;
}
