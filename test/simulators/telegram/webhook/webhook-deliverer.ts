import type { UpdateQueue } from '../state/update-queue';
import type { TgUpdate } from '../state/telegram-types';

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
  ipAddress?: string;
  hasCustomCertificate: boolean;
}

export interface WebhookTiming {
  /** First retry delay after a failed delivery; doubles per consecutive failure. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long the simulator waits for the receiver's answer. */
  timeoutMs: number;
}

export interface WebhookDelivery {
  update_id: number;
  url: string;
  attempt: number;
  at: number;
  secret_token_sent: boolean;
  status?: number;
  error?: string;
  ok: boolean;
  /** A method call the receiver put into its response body (`{"method": ...}`), if any. */
  reply_method?: string;
}

export interface WebhookStatus {
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

/** Executes a method call found in a webhook response body. */
export type WebhookReplyExecutor = (body: Record<string, unknown>) => Promise<void>;

/**
 * Pushes a bot's queued updates one at a time to its webhook URL and retries with exponential
 * backoff while the receiver fails. Delivered updates leave the queue.
 */
export class WebhookDeliverer {
  readonly deliveries: WebhookDelivery[] = [];
  readonly status: WebhookStatus = {};
  private config: WebhookConfig | undefined;
  private running = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly aborts = new Set<AbortController>();

  constructor(
    private readonly queue: UpdateQueue,
    private readonly timing: WebhookTiming,
    private readonly now: () => number,
    private readonly executeReply: WebhookReplyExecutor,
  ) {}

  get current(): WebhookConfig | undefined {
    return this.config;
  }

  set(config: WebhookConfig): void {
    this.config = config;
    this.failures = 0;
    this.unsubscribe ??= this.queue.onPush(() => this.kick());
    this.kick();
  }

  delete(): void {
    this.config = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.clearRetry();
    this.failures = 0;
  }

  close(): void {
    this.delete();
    for (const a of this.aborts) a.abort();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private kick(): void {
    if (this.running || this.retryTimer || !this.config) return;
    void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        const config = this.config;
        const update = this.queue.peek();
        if (!config || !update) return;
        const ok = await this.deliver(config, update);
        if (this.config !== config) continue;
        if (ok) {
          this.failures = 0;
          this.queue.remove(update.update_id);
          continue;
        }
        this.failures += 1;
        const delay = Math.min(
          this.timing.retryMaxMs,
          this.timing.retryBaseMs * 2 ** (this.failures - 1),
        );
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.kick();
        }, delay);
        return;
      }
    } finally {
      this.running = false;
    }
  }

  private async deliver(config: WebhookConfig, update: TgUpdate): Promise<boolean> {
    const record: WebhookDelivery = {
      update_id: update.update_id,
      url: config.url,
      attempt: this.failures + 1,
      at: this.now(),
      secret_token_sent: config.secretToken !== undefined,
      ok: false,
    };
    this.deliveries.push(record);
    if (!isLoopback(config.url)) {
      return this.fail(record, 'simulator delivers webhooks to loopback addresses only');
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (config.secretToken !== undefined) {
      headers['x-telegram-bot-api-secret-token'] = config.secretToken;
    }
    const abort = new AbortController();
    this.aborts.add(abort);
    const timer = setTimeout(() => abort.abort(), this.timing.timeoutMs);
    try {
      const res = await fetch(config.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
        signal: abort.signal,
      });
      record.status = res.status;
      const text = await res.text();
      if (res.status < 200 || res.status > 299) {
        return this.fail(
          record,
          `Wrong response from the webhook: ${res.status} ${res.statusText}`,
        );
      }
      record.ok = true;
      await this.maybeExecuteReply(record, res.headers.get('content-type'), text);
      return true;
    } catch (err) {
      const message = abort.signal.aborted ? 'Read timeout expired' : connectionError(err);
      return this.fail(record, message);
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
  }

  private fail(record: WebhookDelivery, message: string): false {
    record.error = message;
    this.status.lastErrorDate = Math.floor(this.now() / 1000);
    this.status.lastErrorMessage = message;
    return false;
  }

  private async maybeExecuteReply(
    record: WebhookDelivery,
    contentType: string | null,
    text: string,
  ): Promise<void> {
    if (!contentType?.includes('application/json') || text.trim() === '') return;
    try {
      const body = JSON.parse(text) as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
      const call = body as Record<string, unknown>;
      if (typeof call.method !== 'string') return;
      record.reply_method = call.method;
      await this.executeReply(call);
    } catch {
      // Telegram ignores unusable webhook response bodies.
    }
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isLoopback(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Telegram-like wording for network failures (duck-typed: fetch errors may come from another realm). */
function connectionError(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    message?: unknown;
    cause?: { code?: unknown };
  };
  if (e.cause?.code === 'ECONNREFUSED') return 'Connection refused';
  if (e.cause?.code === 'ECONNRESET') return 'Connection reset by peer';
  return typeof e.message === 'string' ? e.message : String(err);
}
