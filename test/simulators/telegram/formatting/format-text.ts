import { badRequest } from '../http/errors';
import type { TgMessageEntity } from '../state/telegram-types';
import { sortEntities, type FormattedText } from './formatted-text';
import { parseHtml } from './html';
import { parseMarkdown } from './markdown';

/**
 * Applies `parse_mode` (HTML, MarkdownV2, Markdown) or explicit entities to a text or caption,
 * the way Telegram does before it checks lengths.
 */
export function formatText(text: string, parseMode: unknown, entities: unknown): FormattedText {
  if (parseMode === undefined || parseMode === '') {
    return {
      text,
      entities: Array.isArray(entities) ? sortEntities(entities as TgMessageEntity[]) : [],
    };
  }
  switch (String(parseMode).toLowerCase()) {
    case 'html':
      return parseHtml(text);
    case 'markdownv2':
      return parseMarkdown(text, true);
    case 'markdown':
      return parseMarkdown(text, false);
    default:
      throw badRequest('unsupported parse_mode');
  }
}
