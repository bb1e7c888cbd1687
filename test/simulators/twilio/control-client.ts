import type { CreateAccountInput, CreatePhoneNumberInput, CreateServiceInput } from './control';
import type { ActiveFault, FaultRule } from './faults';
import type { InjectInboundInput } from './inbound';
import type {
  Account,
  ApiKey,
  DestinationRule,
  MessagingService,
  OptOutRecord,
  PhoneNumber,
  ProxyRoute,
  RequestLogEntry,
  WebhookDelivery,
} from './types';
import type { Json, MessageView } from './views';

export interface InboundResultView {
  message: MessageView;
  delivery: Json<WebhookDelivery> | null;
  fallbackDelivery: Json<WebhookDelivery> | null;
  replies: MessageView[];
}

/**
 * Typed HTTP client for the /__sim control API, for a simulator running in another process
 * (`npm run sim:twilio`). Same operations as the in-process TwilioSimulator helpers.
 */
export class TwilioSimControlClient {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}/__sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /__sim${path} -> ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  health = (): Promise<{ ok: boolean }> => this.call('GET', '/health');
  reset = (): Promise<{ ok: boolean }> => this.call('POST', '/reset');
  createAccount = (input: CreateAccountInput = {}): Promise<Json<Account>> =>
    this.call('POST', '/accounts', input);
  addApiKey = (accountSid: string, key: Partial<ApiKey> = {}): Promise<ApiKey> =>
    this.call('POST', `/accounts/${encodeURIComponent(accountSid)}/keys`, key);
  createPhoneNumber = (input: CreatePhoneNumberInput): Promise<Json<PhoneNumber>> =>
    this.call('POST', '/phone-numbers', input);
  createMessagingService = (input: CreateServiceInput): Promise<Json<MessagingService>> =>
    this.call('POST', '/messaging-services', input);
  setDestination = (rule: DestinationRule): Promise<DestinationRule> =>
    this.call('POST', '/destinations', rule);
  clearDestination = (number: string): Promise<void> =>
    this.call('DELETE', `/destinations/${encodeURIComponent(number)}`);
  optOuts = (): Promise<Array<Json<OptOutRecord>>> => this.call('GET', '/opt-outs');
  addOptOut = (sender: string, customer: string): Promise<Json<OptOutRecord>> =>
    this.call('POST', '/opt-outs', { sender, customer });
  removeOptOut = (sender: string, customer: string): Promise<void> =>
    this.call('DELETE', '/opt-outs', { sender, customer });
  addProxyRoute = (route: ProxyRoute): Promise<ProxyRoute> =>
    this.call('POST', '/proxy-routes', route);
  faults = (): Promise<ActiveFault[]> => this.call('GET', '/faults');
  addFault = (rule: FaultRule): Promise<ActiveFault> => this.call('POST', '/faults', rule);
  removeFault = (id: string): Promise<void> =>
    this.call('DELETE', `/faults/${encodeURIComponent(id)}`);
  clearFaults = (): Promise<void> => this.call('DELETE', '/faults');
  /** Media bytes go inline as base64 (`media: [{ contentType, base64 }]`). */
  injectInbound = (
    input: Omit<InjectInboundInput, 'media'> & {
      media?: Array<{ contentType: string; base64: string }>;
    },
  ): Promise<InboundResultView> => this.call('POST', '/inbound', input);
  messages = (filter: { to?: string; from?: string } = {}): Promise<MessageView[]> =>
    this.call('GET', `/messages?${new URLSearchParams(filter).toString()}`);
  message = (sid: string): Promise<MessageView & { webhooks: Array<Json<WebhookDelivery>> }> =>
    this.call('GET', `/messages/${encodeURIComponent(sid)}`);
  webhooks = (
    filter: { kind?: WebhookDelivery['kind']; messageSid?: string } = {},
  ): Promise<Array<Json<WebhookDelivery>>> =>
    this.call('GET', `/webhooks?${new URLSearchParams(filter).toString()}`);
  requests = (): Promise<Array<Json<RequestLogEntry>>> => this.call('GET', '/requests');
}
