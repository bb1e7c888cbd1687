/**
 * The highest delivery status reached per sent message (`status:<sid>` in the account state), so
 * that duplicated and out-of-order status callbacks never move a message back. Claimed with the
 * store's atomic `update`: when callbacks of one message reach several gateway processes at once,
 * exactly one of them claims (and emits) each higher status.
 */
import type { AccountStateStore, DeliveryStatusEvent } from '../../src/core/adapter';
import { STATUS_RANK } from './sms.mapper';

export type GatewayStatus = DeliveryStatusEvent['status'];

/** What was reported for a message: enough to report it again. */
export interface StatusRecord {
  status: GatewayStatus;
  /** The callback's time (ISO 8601). */
  at: string;
  /** The FAILED reason as reported. */
  reason?: string;
}

/** Records written before the reason was kept hold the bare status. */
type StoredStatus = StatusRecord | GatewayStatus;

const statusKey = (messageId: string) => `status:${messageId}`;

function recordOf(stored: StoredStatus | undefined): StatusRecord | undefined {
  if (stored === undefined) return undefined;
  return typeof stored === 'string' ? { status: stored, at: '' } : stored;
}

const rankOf = (record: StatusRecord | undefined) => (record ? STATUS_RANK[record.status] : 0);

/**
 * Moves the message to `next` if that is higher than what it reached. Resolves with the record
 * it replaced (`previous`, to release the claim) when it did, `undefined` when it was not higher.
 */
export async function claimStatus(
  state: AccountStateStore,
  messageId: string,
  next: StatusRecord,
): Promise<{ previous: StoredStatus | undefined } | undefined> {
  let claim: { previous: StoredStatus | undefined } | undefined;
  await state.update<StoredStatus>(statusKey(messageId), (current) => {
    // Runs again on a conflict: decide from the value of the last run only.
    claim =
      rankOf(recordOf(current)) < STATUS_RANK[next.status] ? { previous: current } : undefined;
    return claim ? next : current;
  });
  return claim;
}

/** Gives a claim back (its event could not be stored) unless a higher status replaced it. */
export async function releaseStatus(
  state: AccountStateStore,
  messageId: string,
  claimed: GatewayStatus,
  previous: StoredStatus | undefined,
): Promise<void> {
  await state.update<StoredStatus>(statusKey(messageId), (current) =>
    recordOf(current)?.status === claimed ? previous : current,
  );
}

/** The highest status recorded for a message. */
export async function recordedStatus(
  state: AccountStateStore,
  messageId: string,
): Promise<StatusRecord | undefined> {
  return recordOf(await state.get<StoredStatus>(statusKey(messageId)));
}
