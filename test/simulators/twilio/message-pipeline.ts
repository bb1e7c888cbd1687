import { createHash } from 'node:crypto';
import { rawDlrDate } from './dates';
import { asyncErrorMessages } from './errors';
import { MEDIA_ERROR } from './mms-media';
import type { ResolvedOptions } from './options';
import { fetchOutboundMedia } from './outbound-media';
import type { Scheduler } from './scheduler';
import type { SimulatorStore } from './store';
import type { DestinationBehavior, MessageRecord, MessageStatus } from './types';
import type { WebhookSender } from './webhook-sender';

export interface Sender {
  /** Key of the sender's queue (its number). */
  key: string;
  /** Segments per second. */
  mps: number;
}

const UNDELIVERED_CODES: Partial<Record<DestinationBehavior, number>> = {
  unreachable: 30003,
  unknown: 30005,
  landline: 30006,
  blocked: 30007,
};

/** Destinations that take no MMS leave MMS undelivered (30011) and deliver plain SMS. */
function undeliveredCode(
  behavior: DestinationBehavior,
  message: MessageRecord,
): number | undefined {
  if (behavior === 'no-mms') {
    return message.media.length > 0 ? MEDIA_ERROR.mmsNotSupported : undefined;
  }
  return UNDELIVERED_CODES[behavior];
}

/**
 * Moves outbound messages through accepted -> queued -> sending -> sent -> delivered (-> read),
 * or to failed / undelivered with an ErrorCode, respecting each sender's rate (segments per
 * second) and the message's ValidityPeriod, and POSTs a signed status callback for every change
 * after the initial status (in order, per message). MMS media are fetched from their MediaUrls
 * when the message is created; the carrier hand-off waits for them, and a message whose media
 * cannot be used fails instead (11200 / 12300 / 30019).
 */
export class MessagePipeline {
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Per message SID: the media fetch, resolving to a failure code or null. */
  private readonly mediaFetches = new Map<string, Promise<number | null>>();
  private readonly aborter = new AbortController();

  constructor(
    private readonly store: SimulatorStore,
    private readonly scheduler: Scheduler,
    private readonly webhooks: WebhookSender,
    private readonly options: ResolvedOptions,
  ) {}

  private simulatedMs(seconds: number): number {
    return seconds * 1000 * this.options.timing.timeScale;
  }

  /** Backlog of a sender's queue in simulated seconds. */
  backlogSeconds(senderKey: string): number {
    const freeAt = this.store.senderFreeAt.get(senderKey) ?? 0;
    return Math.max(0, freeAt - Date.now()) / (1000 * this.options.timing.timeScale);
  }

  start(
    message: MessageRecord,
    sender: Sender,
    assignFrom: string | null,
    sendAt: Date | null = null,
  ): void {
    const timing = this.options.timing;
    this.fetchMedia(message);
    if (message.status === 'scheduled' && sendAt) {
      // SendAt is in simulated time: its distance from now is scaled like every other interval.
      this.scheduler.after(this.simulatedMs((sendAt.getTime() - Date.now()) / 1000), () => {
        if (message.status !== 'scheduled') return;
        if (assignFrom !== null) message.from = assignFrom;
        this.transition(message, 'queued');
        this.enqueue(message, sender);
      });
      return;
    }
    if (message.status === 'accepted') {
      this.scheduler.after(timing.acceptedToQueuedMs, () => {
        if (assignFrom !== null) message.from = assignFrom;
        this.transition(message, 'queued');
        this.enqueue(message, sender);
      });
      return;
    }
    this.enqueue(message, sender);
  }

  private enqueue(message: MessageRecord, sender: Sender): void {
    const now = Date.now();
    const slot = Math.max(
      now + this.options.timing.queuedToSendingMs,
      this.store.senderFreeAt.get(sender.key) ?? 0,
    );
    const wait = slot - now;
    const validityMs = this.simulatedMs(message.validityPeriod);
    if (wait > validityMs + this.options.timing.queuedToSendingMs) {
      this.mediaFetches.delete(message.sid);
      this.scheduler.after(validityMs, () => this.transition(message, 'failed', 30001));
      return;
    }
    message.plannedSendAt = new Date(slot);
    const segments = Math.max(1, message.numSegments);
    this.store.senderFreeAt.set(sender.key, slot + this.simulatedMs(segments / sender.mps));
    this.scheduler.after(wait, () => this.carrier(message));
  }

  private fetchMedia(message: MessageRecord): void {
    if (!message.media.some((item) => item.sourceUrl && !item.data)) return;
    const fetching = fetchOutboundMedia(message, {
      timeoutMs: this.options.mediaFetchTimeoutMs,
      signal: this.aborter.signal,
    }).catch(() => MEDIA_ERROR.retrievalFailure);
    this.mediaFetches.set(message.sid, fetching);
  }

  /** The carrier hand-off, once the message's media (if any) are fetched and acceptable. */
  private carrier(message: MessageRecord): void {
    const media = this.mediaFetches.get(message.sid);
    this.mediaFetches.delete(message.sid);
    if (message.status === 'canceled') return;
    if (!media) return this.handOff(message);
    void media.then((failure) => {
      if (this.scheduler.isClosed || message.status === 'canceled') return;
      if (failure !== null) this.transition(message, 'failed', failure);
      else this.handOff(message);
    });
  }

  private handOff(message: MessageRecord): void {
    const timing = this.options.timing;
    const rule = message.to ? this.store.destinations.get(message.to) : undefined;
    const behavior = rule?.behavior ?? 'deliver';
    this.transition(message, 'sending');
    if (behavior === 'failed') {
      this.scheduler.after(timing.sendingToSentMs, () =>
        this.transition(message, 'failed', rule?.errorCode ?? 30008),
      );
      return;
    }
    this.scheduler.after(timing.sendingToSentMs, () => {
      message.dateSent = new Date();
      message.price = (-0.0079 * Math.max(1, message.numSegments)).toFixed(5);
      this.transition(message, 'sent');
      if (behavior === 'no-dlr') return;
      const undelivered = undeliveredCode(behavior, message);
      this.scheduler.after(timing.sentToDeliveredMs, () => {
        if (undelivered !== undefined) {
          this.transition(message, 'undelivered', rule?.errorCode ?? undelivered);
          return;
        }
        this.transition(message, 'delivered');
        if (behavior === 'read') {
          this.scheduler.after(timing.deliveredToReadMs, () => this.transition(message, 'read'));
        }
      });
    });
  }

  transition(message: MessageRecord, status: MessageStatus, errorCode: number | null = null): void {
    const at = new Date();
    message.status = status;
    message.dateUpdated = at;
    if (errorCode !== null) {
      message.errorCode = errorCode;
      message.errorMessage = asyncErrorMessages[errorCode] ?? 'Unknown error';
    }
    message.history.push({ status, at, errorCode });
    this.statusCallback(message, status, errorCode, at);
  }

  private statusCallback(
    message: MessageRecord,
    status: MessageStatus,
    errorCode: number | null,
    at: Date,
  ): void {
    const service = message.messagingServiceSid
      ? this.store.services.get(message.messagingServiceSid)
      : undefined;
    const url = message.statusCallback ?? service?.statusCallback ?? null;
    const account = this.store.accounts.get(message.accountSid);
    if (!url || !account || message.direction === 'inbound') return;
    const params: Record<string, string> = {
      MessageSid: message.sid,
      SmsSid: message.sid,
      AccountSid: message.accountSid,
      From: message.from ?? '',
      To: message.to,
      MessageStatus: status,
      SmsStatus: status,
      ApiVersion: '2010-04-01',
    };
    if (message.messagingServiceSid) params.MessagingServiceSid = message.messagingServiceSid;
    if (errorCode !== null) params.ErrorCode = String(errorCode);
    if ((status === 'delivered' || status === 'undelivered') && message.media.length === 0) {
      params.RawDlrDoneDate = rawDlrDate(at);
    }
    const token = createHash('sha256')
      .update(`${message.sid}:${status}`)
      .digest('hex')
      .slice(0, 32);
    const previous = this.chains.get(message.sid) ?? Promise.resolve();
    const next = previous.then(() =>
      this.webhooks.send({
        kind: 'status-callback',
        messageSid: message.sid,
        url,
        method: 'POST',
        params,
        authToken: account.authToken,
        idempotencyToken: token,
      }),
    );
    this.chains.set(
      message.sid,
      next.catch(() => undefined),
    );
  }

  /** Resolves when every callback queued so far has been attempted. */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  /** Aborts media fetches in flight (the simulator is closing). */
  close(): void {
    this.aborter.abort();
  }
}
