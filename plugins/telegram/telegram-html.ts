/**
 * The gateway's sanitized HTML (or plain text) -> Telegram HTML (parse_mode HTML), split into
 * messages of at most 4096 visible characters at word boundaries; formatting is closed at the
 * end of a part and opened again in the next.
 */
import { htmlToRuns } from './html-to-runs';
import { plainTextOf, renderRuns, sliceRuns, type Run } from './rich-text';
import { TELEGRAM_LIMITS } from './telegram-limits';
import { splitRanges } from './telegram-text-splitter';

export interface TelegramTextPart {
  /** Telegram HTML. */
  html: string;
  /** What the reader sees (for a plain-text retry and length checks). */
  text: string;
}

export function runsOf(content: { text: string; html?: string }): Run[] {
  if (content.html !== undefined && content.html.trim() !== '') return htmlToRuns(content.html);
  return content.text.trim() === '' ? [] : [{ text: content.text, marks: [] }];
}

/** Telegram HTML for normalized HTML, unsplit. */
export function toTelegramHtml(html: string): string {
  return renderRuns(htmlToRuns(html), { newline: '\n' });
}

export function splitTelegramText(
  runs: Run[],
  limit: number = TELEGRAM_LIMITS.maxTextLength,
): TelegramTextPart[] {
  const text = plainTextOf(runs);
  return splitRanges(text, limit).map(([start, end]) => {
    const part = sliceRuns(runs, start, end);
    return { html: renderRuns(part, { newline: '\n' }), text: text.slice(start, end) };
  });
}
