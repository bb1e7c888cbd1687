/** Public types of the Matrix homeserver simulator. */
import type { JsonObject } from './util/json';

export interface ClientEvent {
  event_id: string;
  room_id: string;
  sender: string;
  type: string;
  content: JsonObject;
  origin_server_ts: number;
  state_key?: string;
  redacts?: string;
  unsigned?: JsonObject;
}

export type EventSource = 'client' | 'appservice' | 'control';

/** An event as recorded by the simulator (what a test reads back). */
export interface RecordedEvent {
  event: ClientEvent;
  /** Stream position (sync tokens are `s<pos>`). */
  pos: number;
  source: EventSource;
  /** The txnId of the `PUT .../send/{type}/{txnId}` that created it, if any. */
  txnId?: string;
  /** Device/token scope of the transaction id (for `unsigned.transaction_id`). */
  txnScope?: string;
}

export interface ReceiptRecord {
  roomId: string;
  userId: string;
  eventId: string;
  receiptType: string;
  threadId?: string;
  ts: number;
  pos: number;
}

export interface MediaRecord {
  mediaId: string;
  serverName: string;
  contentUri: string;
  contentType: string;
  filename?: string;
  uploader: string;
  createdAt: number;
  /** Undefined while an async upload (`/media/v1/create`) is pending. */
  bytes?: Buffer;
}

export interface Namespace {
  regex: string;
  exclusive: boolean;
}

/** Application-service registration, same keys as the spec's `registration.yaml`. */
export interface AppserviceRegistration {
  id: string;
  url: string | null;
  as_token: string;
  hs_token: string;
  sender_localpart: string;
  namespaces: { users?: Namespace[]; aliases?: Namespace[]; rooms?: Namespace[] };
  rate_limited?: boolean;
  receive_ephemeral?: boolean;
  protocols?: string[];
  'de.sorunome.msc2409.push_ephemeral'?: boolean;
}

export interface TransactionAttempt {
  at: number;
  status?: number;
  responseBody?: string;
  error?: string;
  durationMs: number;
}

export interface TransactionRecord {
  appserviceId: string;
  txnId: string;
  body: JsonObject;
  attempts: TransactionAttempt[];
  delivered: boolean;
}

export interface FaultRule {
  /** Assigned by the simulator when omitted. */
  id?: string;
  method?: string;
  /** Regular expression matched against the request path (percent-decoded). */
  path?: string;
  /** OpenAPI operationId from the spec files, e.g. `sendMessage`, `sync`, `uploadContent`. */
  operationId?: string;
  /** `error`: answer with status/errcode; `slow`: delay, then handle; `drop`: destroy socket. */
  kind: 'error' | 'slow' | 'drop';
  status?: number;
  errcode?: string;
  error?: string;
  /** For 429: `retry_after_ms` in the body and `Retry-After` (seconds) header. */
  retryAfterMs?: number;
  delayMs?: number;
  /** Fire at most this many times (default unlimited). */
  count?: number;
  /** Fire with this probability 0..1 (seeded PRNG; default 1). */
  probability?: number;
  /** Read-only: how often the rule fired. */
  hits?: number;
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Sustained sends per second per user. */
  perSecond: number;
  /** Bucket size. */
  burst: number;
}

export interface AppservicePushConfig {
  initialBackoffMs: number;
  maxBackoffMs: number;
  requestTimeoutMs: number;
  /** Key(s) carrying ephemeral events: stable `ephemeral`, unstable MSC2409 key, or both. */
  ephemeralKeys: 'stable' | 'unstable' | 'both';
  maxEventsPerTransaction: number;
}

export interface CreateUserInput {
  /** Localpart or full user id. */
  user: string;
  displayName?: string;
  password?: string;
  /** Fixed access token (default random). */
  accessToken?: string;
  deviceId?: string;
}

export interface CreatedUser {
  userId: string;
  accessToken: string;
  deviceId: string;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  query: string;
  operationId?: string;
  userId?: string;
  status: number;
  durationMs: number;
  body?: unknown;
  fault?: string;
}

export interface MatrixSimulatorOptions {
  /** Port on 127.0.0.1; 0 picks a free one (default 0). */
  port?: number;
  /** Server name in ids (default `localhost`). */
  serverName?: string;
  /** matrix-spec directory (default env MATRIX_SPEC_DIR or `<repo>/../shared/matrix-spec`). */
  specDir?: string;
  rateLimit?: Partial<RateLimitConfig>;
  faults?: FaultRule[];
  appservices?: AppserviceRegistration[];
  appservicePush?: Partial<AppservicePushConfig>;
  users?: CreateUserInput[];
  /** `m.upload.size` (default 50 MiB). */
  maxUploadBytes?: number;
  /** Legacy `/_matrix/media/v3/download`: `frozen` (404 like Synapse >= 1.120, default) or `serve`. */
  legacyMediaDownload?: 'frozen' | 'serve';
  /** Accept the deprecated `?access_token=` query parameter (default true). */
  allowAccessTokenQuery?: boolean;
  /** Seed of the PRNG used by probabilistic faults (default 1). */
  seed?: number;
  /** Matrix versions advertised by `/versions` (default v1.1 ... v1.12). */
  versions?: string[];
  requestLogLimit?: number;
}
