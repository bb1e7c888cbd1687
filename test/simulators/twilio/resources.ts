import { rfc2822 } from './dates';
import type { Account, MediaItem, MessageRecord, PhoneNumber } from './types';

/** JSON representations exactly as Twilio's 2010-04-01 API renders them. */

const API = '/2010-04-01';

export function accountJson(account: Account): Record<string, unknown> {
  const base = `${API}/Accounts/${account.sid}`;
  return {
    auth_token: account.authToken,
    date_created: rfc2822(account.dateCreated),
    date_updated: rfc2822(account.dateCreated),
    friendly_name: account.friendlyName,
    owner_account_sid: account.sid,
    sid: account.sid,
    status: 'active',
    subresource_uris: {
      incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json`,
      messages: `${base}/Messages.json`,
    },
    type: 'Full',
    uri: `${base}.json`,
  };
}

export function phoneNumberJson(n: PhoneNumber): Record<string, unknown> {
  return {
    account_sid: n.accountSid,
    address_sid: null,
    address_requirements: 'none',
    api_version: '2010-04-01',
    beta: false,
    capabilities: { ...n.capabilities },
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateCreated),
    friendly_name: n.friendlyName,
    identity_sid: null,
    phone_number: n.phoneNumber,
    origin: 'twilio',
    sid: n.sid,
    sms_application_sid: null,
    sms_fallback_method: n.smsFallbackMethod,
    sms_fallback_url: n.smsFallbackUrl ?? '',
    sms_method: n.smsMethod,
    sms_url: n.smsUrl ?? '',
    status_callback: '',
    status_callback_method: 'POST',
    trunk_sid: null,
    uri: `${API}/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
    voice_receive_mode: 'voice',
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: null,
    voice_method: 'POST',
    voice_url: null,
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    bundle_sid: null,
    status: 'in-use',
    type: n.type === 'toll-free' ? 'tollfree' : n.type === 'short-code' ? 'shortcode' : n.type,
  };
}

export function messageUri(m: MessageRecord): string {
  return `${API}/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
}

export function messageJson(m: MessageRecord): Record<string, unknown> {
  const base = `${API}/Accounts/${m.accountSid}/Messages/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: rfc2822(m.dateSent),
    date_updated: rfc2822(m.dateUpdated),
    direction: m.direction,
    error_code: m.errorCode,
    error_message: m.errorMessage,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: String(m.media.length),
    num_segments: String(m.status === 'accepted' || m.status === 'scheduled' ? 0 : m.numSegments),
    price: m.price,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    to: m.to,
    uri: `${base}.json`,
  };
}

export function mediaContentPath(item: MediaItem): string {
  return `${API}/Accounts/${item.accountSid}/Messages/${item.parentSid}/Media/${item.sid}`;
}

export function mediaJson(item: MediaItem): Record<string, unknown> {
  return {
    account_sid: item.accountSid,
    content_type: item.contentType,
    date_created: rfc2822(item.dateCreated),
    date_updated: rfc2822(item.dateCreated),
    parent_sid: item.parentSid,
    sid: item.sid,
    uri: `${mediaContentPath(item)}.json`,
  };
}
