/**
 * Twilio message statuses -> provider-neutral delivery states.
 */
import type { SmsDeliveryState } from '../sms-provider';

const STATES: Readonly<Record<string, SmsDeliveryState>> = {
  accepted: 'accepted',
  scheduled: 'accepted',
  queued: 'accepted',
  sending: 'accepted',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
  read: 'read',
  partially_delivered: 'delivered',
};

export function twilioDeliveryState(status: string): SmsDeliveryState {
  return STATES[status.toLowerCase()] ?? 'other';
}
