import type { SimContext } from './context';
import type { ActiveFault, FaultRule } from './faults';
import { injectInbound, type InboundResult, type InjectInboundInput } from './inbound';
import { defaultMps } from './message-create';
import { newAuthToken, newSid } from './sids';
import type {
  Account,
  ApiKey,
  Capabilities,
  DestinationRule,
  MessageRecord,
  MessagingService,
  NumberType,
  OptOutRecord,
  PhoneNumber,
  ProxyRoute,
  RequestLogEntry,
  WebhookDelivery,
} from './types';

export interface CreateAccountInput {
  sid?: string;
  authToken?: string;
  friendlyName?: string;
}

export interface CreatePhoneNumberInput {
  accountSid: string;
  phoneNumber: string;
  capabilities?: Partial<Capabilities>;
  smsUrl?: string | null;
  smsMethod?: 'GET' | 'POST';
  smsFallbackUrl?: string | null;
  smsFallbackMethod?: 'GET' | 'POST';
  friendlyName?: string;
  type?: NumberType;
  /** Segments per second (default by type: long code 1, toll-free 3, short code 100). */
  mps?: number;
  sid?: string;
}

export interface CreateServiceInput {
  accountSid: string;
  sid?: string;
  friendlyName?: string;
  phoneNumbers?: string[];
  statusCallback?: string | null;
  inboundRequestUrl?: string | null;
}

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Test-control operations; the /__sim routes and the TwilioSimulator helpers both use these. */
export class SimulatorControl {
  constructor(private readonly ctx: SimContext) {}

  createAccount(input: CreateAccountInput = {}): Account {
    const account: Account = {
      sid: input.sid ?? newSid('AC'),
      authToken: input.authToken ?? newAuthToken(),
      friendlyName: input.friendlyName ?? 'Simulated account',
      apiKeys: this.ctx.store.accounts.get(input.sid ?? '')?.apiKeys ?? [],
      dateCreated: new Date(),
    };
    if (!/^AC[0-9a-fA-F]{32}$/.test(account.sid))
      throw new ControlError(400, 'sid must be AC + 32 hex');
    this.ctx.store.accounts.set(account.sid, account);
    return account;
  }

  addApiKey(accountSid: string, key: Partial<ApiKey> = {}): ApiKey {
    const account = this.account(accountSid);
    const created: ApiKey = { sid: key.sid ?? newSid('SK'), secret: key.secret ?? newAuthToken() };
    account.apiKeys.push(created);
    return created;
  }

  createPhoneNumber(input: CreatePhoneNumberInput): PhoneNumber {
    this.account(input.accountSid);
    const type = input.type ?? 'local';
    const existing = this.ctx.store.numbers.get(input.phoneNumber);
    const number: PhoneNumber = {
      sid: input.sid ?? existing?.sid ?? newSid('PN'),
      accountSid: input.accountSid,
      phoneNumber: input.phoneNumber,
      friendlyName: input.friendlyName ?? input.phoneNumber,
      capabilities: { sms: true, mms: false, voice: true, fax: false, ...input.capabilities },
      type,
      smsUrl: input.smsUrl ?? null,
      smsMethod: input.smsMethod ?? 'POST',
      smsFallbackUrl: input.smsFallbackUrl ?? null,
      smsFallbackMethod: input.smsFallbackMethod ?? 'POST',
      mps: input.mps ?? defaultMps(type),
      messagingServiceSid: existing?.messagingServiceSid ?? null,
      dateCreated: existing?.dateCreated ?? new Date(),
    };
    this.ctx.store.numbers.set(number.phoneNumber, number);
    return number;
  }

  createMessagingService(input: CreateServiceInput): MessagingService {
    this.account(input.accountSid);
    const service: MessagingService = {
      sid: input.sid ?? newSid('MG'),
      accountSid: input.accountSid,
      friendlyName: input.friendlyName ?? 'Simulated service',
      phoneNumbers: input.phoneNumbers ?? [],
      statusCallback: input.statusCallback ?? null,
      inboundRequestUrl: input.inboundRequestUrl ?? null,
      dateCreated: new Date(),
    };
    for (const e164 of service.phoneNumbers) {
      const number = this.ctx.store.numberByE164(input.accountSid, e164);
      if (!number) throw new ControlError(400, `${e164} is not a number of ${input.accountSid}`);
      number.messagingServiceSid = service.sid;
    }
    this.ctx.store.services.set(service.sid, service);
    return service;
  }

  setDestination(rule: DestinationRule): DestinationRule {
    this.ctx.store.destinations.set(rule.number, { ...rule });
    return rule;
  }

  clearDestination(number: string): void {
    this.ctx.store.destinations.delete(number);
  }

  addOptOut(sender: string, customer: string): OptOutRecord {
    const record: OptOutRecord = { sender, customer, keyword: 'STOP', at: new Date() };
    this.ctx.store.optOuts.set(this.ctx.store.optOutKey(sender, customer), record);
    return record;
  }

  removeOptOut(sender: string, customer: string): void {
    this.ctx.store.optOuts.delete(this.ctx.store.optOutKey(sender, customer));
  }

  optOuts(): OptOutRecord[] {
    return [...this.ctx.store.optOuts.values()];
  }

  addProxyRoute(route: ProxyRoute): ProxyRoute {
    this.ctx.store.proxyRoutes.push({ ...route });
    return route;
  }

  addFault(rule: FaultRule): ActiveFault {
    return this.ctx.faults.add(rule);
  }

  faults(): ActiveFault[] {
    return this.ctx.faults.list();
  }

  removeFault(id: string): boolean {
    return this.ctx.faults.remove(id);
  }

  clearFaults(): void {
    this.ctx.faults.clear();
  }

  injectInbound(input: InjectInboundInput): Promise<InboundResult> {
    return injectInbound(this.ctx, input);
  }

  messages(filter: { to?: string; from?: string; accountSid?: string } = {}): MessageRecord[] {
    return [...this.ctx.store.messages.values()].filter(
      (m) =>
        (!filter.to || m.to === filter.to) &&
        (!filter.from || m.from === filter.from) &&
        (!filter.accountSid || m.accountSid === filter.accountSid),
    );
  }

  message(sid: string): MessageRecord | undefined {
    return this.ctx.store.messages.get(sid);
  }

  webhooks(
    filter: { kind?: WebhookDelivery['kind']; messageSid?: string } = {},
  ): WebhookDelivery[] {
    return this.ctx.store.webhooks.filter(
      (w) =>
        (!filter.kind || w.kind === filter.kind) &&
        (!filter.messageSid || w.messageSid === filter.messageSid),
    );
  }

  requests(): RequestLogEntry[] {
    return [...this.ctx.store.requests];
  }

  reset(): void {
    this.ctx.store.clear();
    this.ctx.faults.clear();
  }

  private account(sid: string): Account {
    const account = this.ctx.store.accounts.get(sid);
    if (!account) throw new ControlError(404, `unknown account ${sid}`);
    return account;
  }
}
