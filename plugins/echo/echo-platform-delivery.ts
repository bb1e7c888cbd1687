/**
 * Delivers an account's updates to its webhook, one at a time and in order. An update stays
 * pending until the webhook answers 2xx; delivery resumes at the next trigger (a new update, a
 * webhook registration, an explicit flush), so nothing is lost while the gateway is down.
 */
import { Agent, request } from 'undici';
import type { EchoUpdate } from './echo-platform.types';
import { ECHO_SIGNATURE_HEADER } from './echo-platform.types';
import { signEchoWebhook } from './echo-webhook-signature';

export interface EchoWebhook {
  url: string;
  secret: string;
}

export interface DeliveryRecord {
  update_id: number;
  status: number | 'network_error';
  at: string;
}

/**
 * Keep-alive connections to the webhooks, as fetch's global dispatcher keeps them. undici's
 * `request` rather than fetch: the platform posts every customer message of bench:e2e, and fetch's
 * WHATWG Request/Response/stream objects were about a sixth of the bench process's CPU there.
 */
const dispatcher = new Agent({ keepAliveTimeout: 10_000 });

export class EchoUpdateQueue {
  readonly pending: EchoUpdate[] = [];
  readonly log: DeliveryRecord[] = [];
  lastDelivered?: EchoUpdate;
  private running: Promise<boolean> = Promise.resolve(true);

  constructor(private readonly timeoutMs = 5000) {}

  /** Queues an update and delivers what is pending; resolves true when the queue is empty. */
  push(update: EchoUpdate, webhook: EchoWebhook | undefined): Promise<boolean> {
    this.pending.push(update);
    return this.flush(webhook);
  }

  flush(webhook: EchoWebhook | undefined): Promise<boolean> {
    this.running = this.running.then(() => this.drain(webhook));
    return this.running;
  }

  /** Posts the last delivered update again (the platform did not see the acknowledgement). */
  redeliverLast(webhook: EchoWebhook | undefined): Promise<boolean> {
    const last = this.lastDelivered;
    if (!last || !webhook) return Promise.resolve(false);
    this.running = this.running.then(() => this.post(webhook, last));
    return this.running;
  }

  private async drain(webhook: EchoWebhook | undefined): Promise<boolean> {
    while (webhook && this.pending.length > 0) {
      const update = this.pending[0];
      if (!(await this.post(webhook, update))) return false;
      this.pending.shift();
      this.lastDelivered = update;
    }
    return this.pending.length === 0;
  }

  private async post(webhook: EchoWebhook, update: EchoUpdate): Promise<boolean> {
    const body = JSON.stringify(update);
    let status: number | 'network_error';
    try {
      const answer = await request(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [ECHO_SIGNATURE_HEADER]: signEchoWebhook(webhook.secret, body),
        },
        body,
        dispatcher,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      await answer.body.dump();
      status = answer.statusCode;
    } catch {
      status = 'network_error';
    }
    this.log.push({ update_id: update.update_id, status, at: new Date().toISOString() });
    return typeof status === 'number' && status >= 200 && status < 300;
  }
}
