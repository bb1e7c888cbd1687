import type { DeliveryStatusEvent, ReadReceiptEvent } from '../../core/adapter';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import type { JobContext } from '../../core/queue/job-queue';

/**
 * Applies what a platform reports about agents' messages (read receipts, asynchronous delivery
 * status) to the stored outbound messages and reports the change to HubSpot (spec 9). The inbound
 * processor hands such events here; the outbound module implements it.
 */
export abstract class PlatformStatusHandler {
  abstract handle(
    account: ChannelAccount,
    event: ReadReceiptEvent | DeliveryStatusEvent,
    context: JobContext,
  ): Promise<void>;
}
