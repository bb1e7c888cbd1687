/**
 * The text and rich text of a published customer message: edits and group senders are made
 * visible to agents, and attachments that could not be transferred are noted, never dropped
 * silently.
 */

import { sanitizeCustomerHtml } from '../rich-text';

export const EDIT_MARK = '✏️ Edited:';

export interface MessageTextInput {
  text: string;
  html?: string;
  /** Group conversations: the sender's name goes in front of the text. */
  groupSender?: string;
  /** The message is an edit of an earlier one. */
  edit?: boolean;
  /** One line each, appended (e.g. "[attachment 'a.pdf' could not be transferred: too large]"). */
  notes?: string[];
}

export interface MessageText {
  /** Never empty: HubSpot needs a text, " " for attachment-only messages (spec 6.2). */
  text: string;
  richText?: string;
}

export function composeMessageText(input: MessageTextInput): MessageText {
  let text = input.text;
  // Adapters' HTML comes from customers: only the safe subset reaches HubSpot's richText.
  const safe = input.html !== undefined ? sanitizeCustomerHtml(input.html) : undefined;
  let html = safe !== undefined && safe.trim() !== '' ? safe : undefined;
  if (input.edit) {
    text = `${EDIT_MARK} ${text}`;
    if (html !== undefined) html = `${EDIT_MARK} ${html}`;
  }
  if (input.groupSender !== undefined) {
    text = `${input.groupSender}: ${text}`;
    if (html !== undefined) html = `<b>${escapeHtml(input.groupSender)}:</b> ${html}`;
  }
  for (const note of input.notes ?? []) {
    text = text.trim() === '' ? note : `${text}\n${note}`;
    if (html !== undefined) html = `${html}<br>${escapeHtml(note)}`;
  }
  return {
    text: text.trim() === '' ? ' ' : text,
    ...(html !== undefined && { richText: html }),
  };
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
