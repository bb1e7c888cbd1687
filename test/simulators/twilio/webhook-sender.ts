import { sendHttp } from './http-request';
import type { FaultInjector } from './faults';
import type { Scheduler } from './scheduler';
import { twilioSignature } from './signature';
import type { SimulatorStore } from './store';
import type { ProxyRoute, WebhookDelivery } from './types';

export interface WebhookRequest {
  kind: WebhookDelivery['kind'];
  messageSid: string;
  /** URL as configured at Twilio: this is what gets signed. */
  url: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
  authToken: string;
  idempotencyToken: string;
  /** Deliver here instead of the (proxy-rewritten) URL; the signature still covers `url`. */
  deliverTo?: string;
}

export function applyProxyRoutes(url: string, routes: ProxyRoute[]): string {
  const route = routes.find((r) => url.startsWith(r.publicBaseUrl));
  if (!route) return url;
  return (
    route.targetBaseUrl.replace(/\/$/, '') +
    url.slice(route.publicBaseUrl.replace(/\/$/, '').length)
  );
}

function withQuery(url: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  if (!query) return url;
  return url + (url.includes('?') ? '&' : '?') + query;
}

/** Sends Twilio-signed, form-encoded webhooks and records each attempt and its response. */
export class WebhookSender {
  constructor(
    private readonly store: SimulatorStore,
    private readonly faults: FaultInjector,
    private readonly scheduler: Scheduler,
    private readonly timeoutMs: number,
  ) {}

  async send(request: WebhookRequest): Promise<WebhookDelivery | null> {
    const fault = this.faults.take({
      target: 'webhook',
      path: request.url,
      webhookKind: request.kind,
    });
    if (fault?.kind === 'slow') await this.scheduler.delay(fault.delayMs ?? 1000);
    if (this.scheduler.isClosed) return null;
    const delivery = await this.deliver(
      request,
      fault?.kind === 'bad-signature',
      fault?.kind === 'drop',
    );
    if (fault?.kind === 'duplicate' && !this.scheduler.isClosed)
      await this.deliver(request, false, false);
    return delivery;
  }

  private async deliver(
    request: WebhookRequest,
    badSignature: boolean,
    drop: boolean,
  ): Promise<WebhookDelivery> {
    const isPost = request.method === 'POST';
    const signedUrl = isPost ? request.url : withQuery(request.url, request.params);
    let signature = twilioSignature(request.authToken, signedUrl, isPost ? request.params : {});
    if (badSignature)
      signature = twilioSignature(`${request.authToken}-wrong`, signedUrl, request.params);
    const base = request.deliverTo ?? applyProxyRoutes(request.url, this.store.proxyRoutes);
    const deliveredUrl = isPost ? base : withQuery(base, request.params);
    const headers: Record<string, string> = {
      'X-Twilio-Signature': signature,
      'I-Twilio-Idempotency-Token': request.idempotencyToken,
      'User-Agent': 'TwilioProxy/1.1',
      Accept: '*/*',
    };
    if (isPost) headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    const delivery: WebhookDelivery = {
      id: this.store.nextId(),
      kind: request.kind,
      messageSid: request.messageSid,
      url: signedUrl,
      deliveredUrl,
      method: request.method,
      params: { ...request.params },
      headers,
      signature,
      sentAt: new Date(),
      responseStatus: null,
      responseBody: null,
      responseContentType: null,
      durationMs: null,
      errorCode: null,
      error: null,
    };
    this.store.webhooks.push(delivery);
    if (drop) {
      delivery.errorCode = 11200;
      delivery.error = 'not sent (fault: drop)';
      return delivery;
    }
    const started = Date.now();
    try {
      const body = isPost ? new URLSearchParams(request.params).toString() : null;
      const result = await sendHttp(deliveredUrl, request.method, headers, body, this.timeoutMs);
      delivery.responseStatus = result.status;
      delivery.responseBody = result.body;
      delivery.responseContentType = result.contentType;
      if (result.status < 200 || result.status >= 300) {
        delivery.errorCode = 11200;
        delivery.error = `HTTP ${result.status}`;
      } else if (
        request.kind === 'inbound' &&
        result.body.trim() &&
        !/xml|text\/plain/i.test(result.contentType ?? '')
      ) {
        delivery.errorCode = 12300;
        delivery.error = `Invalid Content-Type: ${result.contentType ?? 'none'}`;
      }
    } catch (err) {
      delivery.errorCode = 11200;
      delivery.error = err instanceof Error ? err.message : String(err);
    }
    delivery.durationMs = Date.now() - started;
    return delivery;
  }
}
