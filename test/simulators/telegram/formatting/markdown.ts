import { badRequest, TelegramApiError } from '../http/errors';
import type { TgMessageEntity } from '../state/telegram-types';
import { byteOffset, sortEntities, type FormattedText } from './formatted-text';

const RESERVED_V2 = '_*[]()~`>#+-=|{}.!';

/** Markers of MarkdownV2 (longest first) and the entity each produces. */
const V2_MARKERS: Array<[string, string, string]> = [
  ['```', 'pre', 'Pre'],
  ['__', 'underline', 'Underline'],
  ['||', 'spoiler', 'Spoiler'],
  ['*', 'bold', 'Bold'],
  ['_', 'italic', 'Italic'],
  ['~', 'strikethrough', 'Strikethrough'],
  ['`', 'code', 'Code'],
];

/** Legacy Markdown: no nesting, fewer markers, only _ * ` [ can be escaped. */
const V1_MARKERS: Array<[string, string, string]> = [
  ['```', 'pre', 'Pre'],
  ['*', 'bold', 'Bold'],
  ['_', 'italic', 'Italic'],
  ['`', 'code', 'Code'],
];

interface Open {
  marker: string;
  type: string;
  label: string;
  start: number;
  byteStart: number;
  language?: string;
}

function fail(detail: string): TelegramApiError {
  return badRequest(`can't parse entities: ${detail}`);
}

/** Parses MarkdownV2 (`v2 = true`) or legacy Markdown into text + entities. */
export function parseMarkdown(src: string, v2: boolean): FormattedText {
  const markers = v2 ? V2_MARKERS : V1_MARKERS;
  const entities: TgMessageEntity[] = [];
  const stack: Open[] = [];
  let text = '';
  let i = 0;
  let quoteStart: number | undefined;
  const inCode = (): boolean => stack.some((o) => o.type === 'code' || o.type === 'pre');

  const closeQuote = (): void => {
    if (quoteStart !== undefined && text.length > quoteStart) {
      entities.push({ type: 'blockquote', offset: quoteStart, length: text.length - quoteStart });
    }
    quoteStart = undefined;
  };

  while (i < src.length) {
    const c = src[i];
    const lineStart = i === 0 || src[i - 1] === '\n';
    if (v2 && lineStart && !inCode()) {
      if (c === '>') {
        quoteStart ??= text.length;
        i += 1;
        continue;
      }
      if (quoteStart !== undefined) closeQuote();
    }
    if (c === '\\' && i + 1 < src.length) {
      const next = src[i + 1];
      const escapable = v2
        ? next.charCodeAt(0) >= 1 && next.charCodeAt(0) <= 126
        : '_*`['.includes(next);
      if (escapable && (!inCode() || next === '`' || next === '\\' || v2)) {
        text += next;
        i += 2;
        continue;
      }
    }
    const top = stack.at(-1);
    const marker = markers.find(([m]) => src.startsWith(m, i));
    if (marker && (!inCode() || top?.marker === marker[0])) {
      const [m, type, label] = marker;
      if (top?.marker === m) {
        stack.pop();
        const length = text.length - top.start;
        if (length > 0) entities.push(entityOf(type, top.start, length, top.language));
      } else if (v2 || stack.length === 0) {
        stack.push({ marker: m, type, label, start: text.length, byteStart: byteOffset(src, i) });
        const opened = stack[stack.length - 1];
        if (type === 'pre') i = skipLanguage(src, i + m.length, opened) - m.length;
      } else {
        throw fail(`Can't find end of the entity starting at byte offset ${stack[0].byteStart}`);
      }
      i += m.length;
      continue;
    }
    if (c === '[' && !inCode()) {
      const link = readLink(src, i, v2);
      if (link) {
        const inner = parseMarkdown(link.label, v2);
        for (const e of inner.entities) entities.push({ ...e, offset: e.offset + text.length });
        if (inner.text.length > 0) {
          entities.push({
            type: 'text_link',
            offset: text.length,
            length: inner.text.length,
            url: link.url,
          });
        }
        text += inner.text;
        i = link.end;
        continue;
      }
    }
    if (v2 && !inCode() && RESERVED_V2.includes(c)) {
      throw fail(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    }
    if (c === '\n' && v2 && quoteStart !== undefined && src[i + 1] !== '>') {
      closeQuote();
    }
    text += c;
    i += 1;
  }
  closeQuote();
  const open = stack.at(-1);
  if (open) {
    throw fail(
      v2
        ? `Can't find end of ${open.label} entity at byte offset ${open.byteStart}`
        : `Can't find end of the entity starting at byte offset ${open.byteStart}`,
    );
  }
  return { text, entities: sortEntities(entities) };
}

function entityOf(
  type: string,
  offset: number,
  length: number,
  language?: string,
): TgMessageEntity {
  const entity: TgMessageEntity = { type, offset, length };
  if (language) entity.language = language;
  return entity;
}

/** ```lang\n ... : the word right after the opening fence names the language. */
function skipLanguage(src: string, from: number, open: Open): number {
  const m = /^([A-Za-z0-9_+#-]+)\n/.exec(src.slice(from));
  if (!m) return from;
  open.language = m[1];
  return from + m[0].length;
}

function readLink(
  src: string,
  at: number,
  v2: boolean,
): { label: string; url: string; end: number } | undefined {
  let depth = 0;
  let j = at;
  for (; j < src.length; j++) {
    if (src[j] === '\\' && v2) {
      j += 1;
      continue;
    }
    if (src[j] === '[') depth += 1;
    if (src[j] === ']' && --depth === 0) break;
  }
  if (j >= src.length || src[j + 1] !== '(') return undefined;
  let url = '';
  let k = j + 2;
  for (; k < src.length && src[k] !== ')'; k++) {
    if (src[k] === '\\' && v2 && k + 1 < src.length) k += 1;
    url += src[k];
  }
  if (k >= src.length) return undefined;
  return { label: src.slice(at + 1, j), url, end: k + 1 };
}
