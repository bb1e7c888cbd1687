/**
 * Twilio's default opt-out handling for long codes / toll-free numbers: the whole message
 * (trimmed, case-insensitive) is compared with the keyword lists.
 */

export type KeywordKind = 'STOP' | 'START' | 'HELP';

export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
];
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'];
export const HELP_KEYWORDS = ['HELP', 'INFO'];

export const DEFAULT_REPLIES: Record<KeywordKind, string> = {
  STOP: 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
  START:
    'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
  HELP: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
};

export function classifyKeyword(body: string): KeywordKind | null {
  const word = body.trim().toUpperCase();
  if (OPT_OUT_KEYWORDS.includes(word)) return 'STOP';
  if (OPT_IN_KEYWORDS.includes(word)) return 'START';
  if (HELP_KEYWORDS.includes(word)) return 'HELP';
  return null;
}
