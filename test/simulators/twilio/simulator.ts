import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { twilioApi } from './api-app';
import type { SimContext } from './context';
import { SimulatorControl } from './control';
import { controlRoutes } from './control-routes';
import { FaultInjector } from './faults';
import { MessagePipeline } from './message-pipeline';
import { resolveOptions, type TwilioSimulatorOptions } from './options';
import { mediaStorageRoutes } from './routes-media';
import { Scheduler } from './scheduler';
import { SimulatorStore } from './store';
import type { MessageRecord, MessageStatus, WebhookDelivery } from './types';
import { WebhookSender } from './webhook-sender';

/** A running simulator: base URL, lifecycle, and typed helpers mirroring the /__sim control API. */
export class TwilioSimulator extends SimulatorControl {
  constructor(
    private readonly context: SimContext,
    private readonly server: Server,
    readonly baseUrl: string,
  ) {
    super(context);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  statusCallbacks(messageSid?: string): WebhookDelivery[] {
    return this.webhooks({ kind: 'status-callback', messageSid });
  }

  inboundDeliveries(): WebhookDelivery[] {
    return this.webhooks({ kind: 'inbound' });
  }

  /** Polls `probe` until it returns a value other than undefined/false/null. */
  async waitFor<T>(
    probe: () => T | undefined | null | false,
    timeoutMs = 5000,
    what = 'condition',
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== null && value !== false) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Waits until the message reached `status` and every status callback queued so far was attempted. */
  async waitForStatus(
    sid: string,
    status: MessageStatus,
    timeoutMs = 5000,
  ): Promise<MessageRecord> {
    const message = await this.waitFor(
      () => {
        const m = this.message(sid);
        return m && m.history.some((h) => h.status === status) ? m : undefined;
      },
      timeoutMs,
      `${sid} to reach ${status}`,
    );
    await this.context.pipeline.idle();
    return message;
  }

  async close(): Promise<void> {
    this.context.scheduler.close();
    this.context.pipeline.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

export async function startTwilioSimulator(
  options: TwilioSimulatorOptions = {},
): Promise<TwilioSimulator> {
  const resolved = resolveOptions(options);
  const store = new SimulatorStore();
  const scheduler = new Scheduler();
  const faults = new FaultInjector(options.seed ?? 1);
  const webhooks = new WebhookSender(store, faults, scheduler, resolved.webhookTimeoutMs);
  const pipeline = new MessagePipeline(store, scheduler, webhooks, resolved);
  let baseUrl = '';
  const ctx: SimContext = {
    store,
    options: resolved,
    scheduler,
    faults,
    webhooks,
    pipeline,
    publicBaseUrl: () => options.publicBaseUrl ?? baseUrl,
  };
  const control = new SimulatorControl(ctx);
  for (const account of options.accounts ?? []) control.createAccount(account);
  for (const rule of options.faults ?? []) control.addFault(rule);
  for (const route of options.proxyRoutes ?? []) control.addProxyRoute(route);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(mediaStorageRoutes(ctx));
  app.use(controlRoutes(control));
  app.use(twilioApi(ctx, options.openApiFile));

  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (err?: Error) =>
      err ? reject(err) : resolve(s),
    );
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new TwilioSimulator(ctx, server, baseUrl);
}
