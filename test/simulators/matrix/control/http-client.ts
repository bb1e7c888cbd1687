import type {
  AppserviceRegistration,
  CreatedUser,
  CreateUserInput,
  FaultRule,
  RateLimitConfig,
  RecordedEvent,
  RequestLogEntry,
  TransactionRecord,
} from '../types';
import type { JsonObject } from '../util/json';
import type { CreateRoomOptions, EventQuery, RoomSummary } from './controller';

export type MessageKind = JsonObject & { kind: string };

/**
 * Typed client for the `/__sim` control API, for tests that talk to a simulator running in another
 * process (`npm run sim:matrix`). Same operations as the in-process `MatrixSimulator` helpers.
 */
export class MatrixSimControlClient {
  constructor(readonly baseUrl: string) {}

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    raw?: { bytes: Buffer; type: string },
  ): Promise<T> {
    const res = await fetch(`${this.baseUrl}/__sim${path}`, {
      method,
      headers: raw
        ? { 'Content-Type': raw.type }
        : body !== undefined
          ? { 'Content-Type': 'application/json' }
          : {},
      body: raw ? raw.bytes : body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /__sim${path} -> ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  createUser(input: CreateUserInput): Promise<CreatedUser> {
    return this.request('POST', '/users', input);
  }

  createRoom(o: CreateRoomOptions): Promise<{ roomId: string }> {
    return this.request('POST', '/rooms', o);
  }

  room(roomId: string): Promise<RoomSummary> {
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}`);
  }

  /** `action`: invite, join, leave, kick, ban, unban, forget, encryption, typing. */
  roomAction(roomId: string, action: string, body: JsonObject): Promise<JsonObject> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/${action}`, body);
  }

  sendEvent(
    roomId: string,
    sender: string,
    type: string,
    content: JsonObject,
    stateKey?: string,
  ): Promise<{ event_id: string }> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/send`, {
      sender,
      type,
      content,
      stateKey,
    });
  }

  /** See the README for the kinds (text, image, voice, reply, edit, ...). */
  sendMessage(roomId: string, sender: string, message: MessageKind): Promise<{ event_id: string }> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/messages`, {
      sender,
      ...message,
    });
  }

  sendReceipt(
    roomId: string,
    userId: string,
    eventId: string,
    receiptType = 'm.read',
  ): Promise<JsonObject> {
    return this.request('POST', `/rooms/${encodeURIComponent(roomId)}/receipt`, {
      userId,
      eventId,
      receiptType,
    });
  }

  events(roomId: string, q: EventQuery = {}): Promise<RecordedEvent[]> {
    const params = new URLSearchParams(
      Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    return this.request('GET', `/rooms/${encodeURIComponent(roomId)}/events?${params.toString()}`);
  }

  uploadMedia(
    uploader: string,
    bytes: Buffer,
    contentType: string,
    filename?: string,
  ): Promise<{ contentUri: string; mediaId: string }> {
    const q = new URLSearchParams({ uploader, ...(filename ? { filename } : {}) });
    return this.request('POST', `/media?${q.toString()}`, undefined, { bytes, type: contentType });
  }

  registerAppservice(reg: AppserviceRegistration): Promise<AppserviceRegistration> {
    return this.request('PUT', '/appservices', reg);
  }

  transactions(appserviceId?: string): Promise<TransactionRecord[]> {
    return this.request(
      'GET',
      `/transactions${appserviceId ? `?appserviceId=${encodeURIComponent(appserviceId)}` : ''}`,
    );
  }

  requests(path?: string): Promise<RequestLogEntry[]> {
    return this.request('GET', `/requests${path ? `?path=${encodeURIComponent(path)}` : ''}`);
  }

  rateLimit(patch: Partial<RateLimitConfig>): Promise<RateLimitConfig> {
    return this.request('PUT', '/rate-limit', patch);
  }

  addFault(rule: FaultRule): Promise<FaultRule> {
    return this.request('POST', '/faults', rule);
  }

  clearFaults(): Promise<JsonObject> {
    return this.request('DELETE', '/faults');
  }
}
