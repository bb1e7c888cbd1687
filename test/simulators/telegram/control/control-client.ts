import type { ActiveFault, FaultRule } from '../faults/faults';
import type { RateLimitOptions } from '../limits/rate-limiter';
import type { SentRecord } from '../state/bot-state';
import type { FileKind } from '../state/file-store';
import type { TgChat, TgMessage, TgUpdate, TgUser } from '../state/telegram-types';
import type { CreateChatInput, CreateUserInput } from '../state/world';
import type { CreateBotInput, RequestLogEntry } from '../simulator-engine';
import type { WebhookConfig, WebhookDelivery, WebhookStatus } from '../webhook/webhook-deliverer';
import {
  MEDIA_KEYS,
  type InjectEditInput,
  type Injected,
  type InjectMessageInput,
  type MediaGroupItemInput,
  type MediaInput,
} from './injection-types';

/** Media for injected updates: raw bytes (`data`), a size to fill, or an existing file_id. */
export type SimMediaInput = Omit<MediaInput, 'data_base64'> & { data?: Buffer };

export type SimMessageInput = Omit<InjectMessageInput, 'photo' | MediaKey> & {
  photo?: SimMediaInput | SimMediaInput[];
} & Partial<Record<MediaKey, SimMediaInput>>;

type MediaKey = (typeof MEDIA_KEYS)[number];

export interface SimMediaGroupInput {
  chat_id: number;
  from_id?: number;
  media_group_id?: string;
  items: Array<Omit<MediaGroupItemInput, 'media'> & { media: SimMediaInput }>;
}

export interface SimBot {
  token: string;
  user: TgUser & Record<string, unknown>;
}

export interface SimFile {
  file_id: string;
  file_unique_id: string;
  kind: FileKind;
  file_size: number;
  file_path: string;
  file_name?: string;
  mime_type?: string;
}

export interface SimWebhookState {
  config: WebhookConfig | null;
  status: WebhookStatus;
  deliveries: WebhookDelivery[];
}

function toWire(media: SimMediaInput): MediaInput {
  const { data, ...rest } = media;
  return data ? { ...rest, data_base64: data.toString('base64') } : rest;
}

function messageToWire(input: SimMessageInput): InjectMessageInput {
  const out: Record<string, unknown> = { ...input };
  if (input.photo !== undefined) {
    out.photo = Array.isArray(input.photo) ? input.photo.map(toWire) : toWire(input.photo);
  }
  for (const key of MEDIA_KEYS) {
    const media = input[key];
    if (media !== undefined) out[key] = toWire(media);
  }
  return out as unknown as InjectMessageInput;
}

/** Typed client for the simulator's /__sim control API (works against any running simulator). */
export class TelegramSimControlClient {
  constructor(readonly baseUrl: string) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/__sim${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator control ${method} ${path} -> ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  reset(): Promise<unknown> {
    return this.request('POST', '/reset');
  }

  createBot(input: CreateBotInput = {}): Promise<SimBot> {
    return this.request('POST', '/bots', input);
  }

  listBots(): Promise<SimBot[]> {
    return this.request('GET', '/bots');
  }

  createUser(input: CreateUserInput = {}): Promise<TgUser> {
    return this.request('POST', '/users', input);
  }

  createChat(input: CreateChatInput): Promise<TgChat> {
    return this.request('POST', '/chats', input);
  }

  /** A new user and the private chat with them. */
  async createCustomer(input: CreateUserInput = {}): Promise<{ user: TgUser; chat: TgChat }> {
    const user = await this.createUser(input);
    const chat = await this.createChat({ type: 'private', user_id: user.id });
    return { user, chat };
  }

  migrateChat(
    chatId: number,
    input: { tokens?: string[]; from_id?: number } = {},
  ): Promise<{ old_chat_id: number; chat: TgChat; updates: TgUpdate[] }> {
    return this.request('POST', `/chats/${chatId}/migrate`, input);
  }

  uploadFile(
    token: string,
    input: { kind: FileKind; data?: Buffer; size?: number; file_name?: string; mime_type?: string },
  ): Promise<SimFile> {
    const { data, ...rest } = input;
    const wire = data ? { ...rest, data_base64: data.toString('base64') } : rest;
    return this.request('POST', `/bots/${encodeURIComponent(token)}/files`, wire);
  }

  listFiles(token: string): Promise<SimFile[]> {
    return this.request('GET', `/bots/${encodeURIComponent(token)}/files`);
  }

  async fileContent(token: string, fileId: string): Promise<Buffer> {
    const path = `/bots/${encodeURIComponent(token)}/files/${encodeURIComponent(fileId)}/content`;
    const res = await fetch(`${this.baseUrl}/__sim${path}`);
    if (!res.ok) throw new Error(`simulator control GET ${path} -> ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  injectMessage(token: string, input: SimMessageInput): Promise<Injected> {
    return this.request(
      'POST',
      `/bots/${encodeURIComponent(token)}/messages`,
      messageToWire(input),
    );
  }

  injectEdit(token: string, input: InjectEditInput): Promise<Injected> {
    return this.request('POST', `/bots/${encodeURIComponent(token)}/edits`, input);
  }

  injectMediaGroup(token: string, input: SimMediaGroupInput): Promise<Injected[]> {
    const wire = { ...input, items: input.items.map((i) => ({ ...i, media: toWire(i.media) })) };
    return this.request('POST', `/bots/${encodeURIComponent(token)}/media-groups`, wire);
  }

  injectUpdate(token: string, kind: string, payload: unknown): Promise<{ update?: TgUpdate }> {
    return this.request('POST', `/bots/${encodeURIComponent(token)}/updates`, { kind, payload });
  }

  pendingUpdates(token: string): Promise<TgUpdate[]> {
    return this.request('GET', `/bots/${encodeURIComponent(token)}/updates`);
  }

  blockBot(token: string, userId: number): Promise<{ update?: TgUpdate }> {
    return this.request('POST', `/bots/${encodeURIComponent(token)}/blocks`, {
      user_id: userId,
      blocked: true,
    });
  }

  unblockBot(token: string, userId: number): Promise<{ update?: TgUpdate }> {
    return this.request('POST', `/bots/${encodeURIComponent(token)}/blocks`, {
      user_id: userId,
      blocked: false,
    });
  }

  sentMessages(token: string, chatId?: number): Promise<SentRecord[]> {
    const query = chatId === undefined ? '' : `?chat_id=${chatId}`;
    return this.request('GET', `/bots/${encodeURIComponent(token)}/sent${query}`);
  }

  reactions(
    token: string,
  ): Promise<Array<{ chat_id: number; message_id: number; reaction: unknown }>> {
    return this.request('GET', `/bots/${encodeURIComponent(token)}/reactions`);
  }

  deletedMessages(token: string): Promise<Array<{ chat_id: number; message_id: number }>> {
    return this.request('GET', `/bots/${encodeURIComponent(token)}/deleted`);
  }

  webhookState(token: string): Promise<SimWebhookState> {
    return this.request('GET', `/bots/${encodeURIComponent(token)}/webhook`);
  }

  requests(filter: { token?: string; method?: string } = {}): Promise<RequestLogEntry[]> {
    const query = new URLSearchParams();
    if (filter.token) query.set('token', filter.token);
    if (filter.method) query.set('method', filter.method);
    const qs = query.toString();
    return this.request('GET', `/requests${qs ? `?${qs}` : ''}`);
  }

  listFaults(): Promise<ActiveFault[]> {
    return this.request('GET', '/faults');
  }

  addFault(rule: FaultRule): Promise<ActiveFault> {
    return this.request('POST', '/faults', rule);
  }

  removeFault(id: number): Promise<{ removed: boolean }> {
    return this.request('DELETE', `/faults/${id}`);
  }

  clearFaults(): Promise<unknown> {
    return this.request('DELETE', '/faults');
  }

  getLimits(): Promise<RateLimitOptions> {
    return this.request('GET', '/limits');
  }

  setLimits(limits: Partial<RateLimitOptions>): Promise<RateLimitOptions> {
    return this.request('PUT', '/limits', limits);
  }
}

export type { TgMessage };
