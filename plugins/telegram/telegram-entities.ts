/**
 * Telegram text + entities (offsets in UTF-16 code units, like JS strings) -> the normalized HTML
 * of an inbound event (b, i, u, s, code, pre, a, br, blockquote).
 */
import type { MessageEntity } from 'grammy/types';
import { renderRuns, type Mark, type Run } from './rich-text';

function markOf(entity: MessageEntity, text: string): Mark | undefined {
  switch (entity.type) {
    case 'bold':
      return { tag: 'b' };
    case 'italic':
      return { tag: 'i' };
    case 'underline':
      return { tag: 'u' };
    case 'strikethrough':
      return { tag: 's' };
    case 'code':
      return { tag: 'code' };
    case 'pre':
      return { tag: 'pre' };
    case 'blockquote':
    case 'expandable_blockquote':
      return { tag: 'blockquote' };
    case 'text_link':
      return { tag: 'a', href: entity.url };
    case 'url': {
      const url = text.slice(entity.offset, entity.offset + entity.length);
      return { tag: 'a', href: /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `https://${url}` };
    }
    case 'email':
      return {
        tag: 'a',
        href: `mailto:${text.slice(entity.offset, entity.offset + entity.length)}`,
      };
    default:
      return undefined;
  }
}

/** Rich-text runs of a Telegram text; marks ordered outermost first. */
export function entitiesToRuns(text: string, entities: readonly MessageEntity[] = []): Run[] {
  const marked = entities
    .map((entity) => ({ entity, mark: markOf(entity, text) }))
    .filter((item): item is { entity: MessageEntity; mark: Mark } => item.mark !== undefined)
    .sort((a, b) => a.entity.offset - b.entity.offset || b.entity.length - a.entity.length);
  const cuts = new Set<number>([0, text.length]);
  for (const { entity } of marked) {
    cuts.add(Math.max(0, Math.min(text.length, entity.offset)));
    cuts.add(Math.max(0, Math.min(text.length, entity.offset + entity.length)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const runs: Run[] = [];
  for (let index = 0; index + 1 < points.length; index++) {
    const [start, end] = [points[index], points[index + 1]];
    const marks = marked
      .filter(({ entity }) => entity.offset <= start && entity.offset + entity.length >= end)
      .map(({ mark }) => mark);
    runs.push({ text: text.slice(start, end), marks });
  }
  return runs;
}

/** The normalized HTML of a text, or undefined when it has no formatting we keep. */
export function entitiesToHtml(
  text: string,
  entities: readonly MessageEntity[] | undefined,
): string | undefined {
  const runs = entitiesToRuns(text, entities ?? []);
  if (!runs.some((run) => run.marks.length > 0)) return undefined;
  return renderRuns(runs, { newline: '<br>' });
}
