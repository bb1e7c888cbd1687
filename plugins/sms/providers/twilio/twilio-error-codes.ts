/**
 * Readable reasons for Twilio's common error codes (synchronous REST errors and the ErrorCode of
 * failed/undelivered status callbacks). https://www.twilio.com/docs/errors/<code>
 */
export const TWILIO_ERROR_REASONS: Readonly<Record<string, string>> = {
  '11200': 'Twilio could not download an attachment (its link failed or expired)',
  '12300': 'Twilio does not accept the file type of an attachment for MMS',
  '20003': 'Twilio rejected the Account SID or Auth Token',
  '20404': 'Twilio resource not found',
  '20429': 'too many concurrent requests to Twilio',
  '21211': 'invalid recipient phone number',
  '21212': 'invalid sender phone number',
  '21408': 'sending to this region is not enabled (Twilio geo permissions)',
  '21602': 'message body required',
  '21603': 'sender number required',
  '21604': 'recipient number required',
  '21606': 'the sender is not a message-capable number of this Twilio account',
  '21610': 'recipient opted out (replied STOP)',
  '21611': "the sender's Twilio queue is full (more than 10 hours of messages)",
  '21612': 'Twilio cannot route to this number',
  '21614': 'recipient is not a mobile number',
  '21617': 'message body exceeds 1600 characters',
  '21619': 'message body or media required',
  '21620': 'invalid media URL',
  '21621': 'the sender number is not enabled for MMS',
  '21623': 'too many attachments for one MMS (at most 10)',
  '21701': 'unknown Messaging Service',
  '30001': 'message expired in the sender queue (queue overflow)',
  '30002': 'Twilio account suspended',
  '30003': 'recipient handset unreachable',
  '30004': 'message blocked (recipient or carrier)',
  '30005': 'unknown recipient handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'filtered by the carrier (spam or content)',
  '30008': 'unknown delivery error',
  '30009': 'missing segment',
  '30010': 'message price exceeds the maximum price',
  '30011': "the recipient's phone or carrier does not take MMS",
  '30019': 'attachments too large for the carrier (MMS content size limit)',
  '30032': 'toll-free number not verified',
  '30034': 'US A2P 10DLC sender not registered',
  '63019': 'Twilio could not download an attachment (the file was empty)',
};

/** "recipient handset unreachable (Twilio 30003)", or Twilio's own message for other codes. */
export function twilioReason(code: string | undefined, fallback?: string): string {
  const known = code ? TWILIO_ERROR_REASONS[code] : undefined;
  const text = known ?? (fallback?.trim() || 'Twilio error');
  return code ? `${text} (Twilio ${code})` : text;
}

/** Codes that clear up by themselves (retry later). */
export const RETRYABLE_TWILIO_CODES: ReadonlySet<string> = new Set(['20429', '21611', '20500']);
