import type { HubSpotSimulatorOptions } from './options';
import { signatureV3 } from './signature';
import type { SimState } from './state';
import type { WebhookAttempt, WebhookDelivery } from './types';

const NO_RETRY = new Set([400, 401, 403, 404, 405]);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface WebhookEvent {
  eventType: string;
  channelId: string;
  portalId: string;
  url: string | undefined;
  payload: Record<string, unknown>;
}

/**
 * Delivers custom-channel webhooks as HubSpot does (spec 7): one JSON object per POST, signed with
 * X-HubSpot-Signature-v3 over METHOD + URI + body + timestamp with the app's client secret, and
 * X-HubSpot-Request-Timestamp in ms (re-signed per attempt). Retries on connection errors,
 * timeouts and any status except 2xx and 400/401/403/404/405; honours Retry-After on 429.
 */
export class WebhookDispatcher {
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<void>>();
  private controllers = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly options: HubSpotSimulatorOptions,
    private readonly state: SimState,
  ) {}

  send(event: WebhookEvent): WebhookDelivery {
    const body = JSON.stringify(event.payload);
    const delivery: WebhookDelivery = {
      id: this.state.nextId('webhook', 0),
      eventType: event.eventType,
      channelId: event.channelId,
      portalId: event.portalId,
      url: event.url ?? '',
      body,
      attempts: [],
      state: 'PENDING',
    };
    this.state.webhooks.push(delivery);
    if (!event.url) {
      delivery.state = 'REFUSED';
      delivery.attempts.push({
        attempt: 0,
        at: new Date().toISOString(),
        error: 'channel has no webhookUrl',
        durationMs: 0,
      });
      return delivery;
    }
    let host = '';
    try {
      host = new URL(event.url).hostname;
    } catch {
      host = '';
    }
    if (this.options.loopbackWebhooksOnly && !LOOPBACK.has(host)) {
      delivery.state = 'REFUSED';
      delivery.attempts.push({
        attempt: 0,
        at: new Date().toISOString(),
        error: `refusing to deliver to non-loopback host "${host}" (loopbackWebhooksOnly)`,
        durationMs: 0,
      });
      return delivery;
    }
    this.track(this.attempt(delivery, 1));
    return delivery;
  }

  /** Resolves when no delivery is in flight or waiting for a retry. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 || this.timers.size > 0) {
      if (Date.now() > deadline) throw new Error('webhook deliveries still pending');
      await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 10))]);
    }
  }

  close(): void {
    this.closed = true;
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
    this.controllers.forEach((c) => c.abort());
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async attempt(delivery: WebhookDelivery, n: number): Promise<void> {
    if (this.closed) return;
    const timestamp = Date.now();
    const signature = signatureV3(
      this.options.clientSecret,
      'POST',
      delivery.url,
      delivery.body,
      timestamp,
    );
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), this.options.webhookTimeoutMs);
    const record: WebhookAttempt = {
      attempt: n,
      at: new Date(timestamp).toISOString(),
      durationMs: 0,
    };
    delivery.attempts.push(record);
    let retryAfterMs: number | undefined;
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: controller.signal,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (HubSpot simulator)',
          'X-HubSpot-Signature-v3': signature,
          'X-HubSpot-Request-Timestamp': String(timestamp),
        },
        body: delivery.body,
      });
      record.status = res.status;
      record.responseBody = (await res.text()).slice(0, 2000);
      const ra = Number(res.headers.get('retry-after'));
      if (res.status === 429 && Number.isFinite(ra) && ra > 0) retryAfterMs = ra * 1000;
    } catch (err) {
      record.error = controller.signal.aborted
        ? `timeout after ${this.options.webhookTimeoutMs} ms`
        : err instanceof Error
          ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}`
          : String(err);
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
      record.durationMs = Date.now() - timestamp;
    }
    if (record.status !== undefined && record.status >= 200 && record.status < 300) {
      delivery.state = 'DELIVERED';
      delivery.nextAttemptAt = undefined;
      return;
    }
    if (record.status !== undefined && NO_RETRY.has(record.status)) {
      delivery.state = 'FAILED';
      delivery.nextAttemptAt = undefined;
      return;
    }
    const base = this.options.webhookRetryDelaysMs[n - 1];
    if (base === undefined || this.closed) {
      delivery.state = 'GAVE_UP';
      delivery.nextAttemptAt = undefined;
      return;
    }
    const delay = Math.max(base, retryAfterMs ?? 0) * this.options.webhookTimeScale;
    delivery.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.track(this.attempt(delivery, n + 1));
    }, delay);
    this.timers.add(t);
  }
}
