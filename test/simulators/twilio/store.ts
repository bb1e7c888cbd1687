import type {
  Account,
  DestinationRule,
  MessageRecord,
  MessagingService,
  OptOutRecord,
  PhoneNumber,
  ProxyRoute,
  RequestLogEntry,
  WebhookDelivery,
} from './types';

/** In-memory state of one simulator instance. */
export class SimulatorStore {
  readonly accounts = new Map<string, Account>();
  readonly numbers = new Map<string, PhoneNumber>();
  readonly services = new Map<string, MessagingService>();
  readonly messages = new Map<string, MessageRecord>();
  readonly destinations = new Map<string, DestinationRule>();
  readonly optOuts = new Map<string, OptOutRecord>();
  readonly proxyRoutes: ProxyRoute[] = [];
  readonly webhooks: WebhookDelivery[] = [];
  readonly requests: RequestLogEntry[] = [];
  /** Short-lived media download tokens -> media SID (models Twilio's redirect to storage). */
  readonly mediaTokens = new Map<string, { mediaSid: string; expires: number }>();
  /** Time (epoch ms) at which each sender's queue is free again. */
  readonly senderFreeAt = new Map<string, number>();
  private seq = 0;

  nextId(): number {
    this.seq += 1;
    return this.seq;
  }

  numberByE164(accountSid: string, e164: string): PhoneNumber | undefined {
    const n = this.numbers.get(e164);
    return n && n.accountSid === accountSid ? n : undefined;
  }

  numberBySid(accountSid: string, sid: string): PhoneNumber | undefined {
    return [...this.numbers.values()].find((n) => n.sid === sid && n.accountSid === accountSid);
  }

  optOutKey(sender: string, customer: string): string {
    return `${sender}|${customer}`;
  }

  /** Sender scopes an opt-out can apply to: the number itself and its Messaging Service. */
  isOptedOut(senders: Array<string | null>, customer: string): boolean {
    return senders.some((s) => s !== null && this.optOuts.has(this.optOutKey(s, customer)));
  }

  findMedia(mediaSid: string): { message: MessageRecord; index: number } | undefined {
    for (const message of this.messages.values()) {
      const index = message.media.findIndex((m) => m.sid === mediaSid);
      if (index >= 0) return { message, index };
    }
    return undefined;
  }

  clear(): void {
    this.accounts.clear();
    this.numbers.clear();
    this.services.clear();
    this.messages.clear();
    this.destinations.clear();
    this.optOuts.clear();
    this.proxyRoutes.length = 0;
    this.webhooks.length = 0;
    this.requests.length = 0;
    this.mediaTokens.clear();
    this.senderFreeAt.clear();
  }
}
