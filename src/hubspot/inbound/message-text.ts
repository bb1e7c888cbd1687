/**
 * The text and rich text of a published customer message: edits and group senders are made
 * visible to agents, and attachments that could not be transferred are noted, never dropped
 * silently.
 */

import { sanitizeCustomerHtml } from '../rich-text';

export const EDIT_MARK = '✏️ Edited:';
/** Longer originals are cut: the quote reminds the agent, the thread has the whole message. */
export const MAX_QUOTE_LENGTH = 300;

export interface MessageTextInput {
  text: string;
  html?: string;
  /** Group conversations: the sender's name goes in front of the text. */
  groupSender?: string;
  /** The message is an edit of an earlier one. */
  edit?: boolean;
  /** For an edit: the text of the message it changes, quoted under the new text. */
  quote?: string;
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
    const quote = quoted(input.quote);
    if (quote !== undefined) {
      text = `${text}\n${quote.map((line) => `> ${line}`).join('\n')}`;
      if (html !== undefined) {
        html = `${html}<blockquote>${quote.map(escapeHtml).join('<br>')}</blockquote>`;
      }
    }
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

/** The original's lines, cut at MAX_QUOTE_LENGTH; undefined when there is nothing to quote. */
function quoted(original: string | undefined): string[] | undefined {
  const trimmed = original?.trim();
  if (!trimmed) return undefined;
  const cut =
    trimmed.length > MAX_QUOTE_LENGTH
      ? `${trimmed.slice(0, MAX_QUOTE_LENGTH).trimEnd()}…`
      : trimmed;
  return cut.split(/\r?\n/);
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
