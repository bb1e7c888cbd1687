import { badRequest, TelegramApiError } from '../http/errors';
import type { TgMessageEntity } from '../state/telegram-types';
import { byteOffset, sortEntities, type FormattedText } from './formatted-text';

/** Tags Telegram's HTML parse mode understands, mapped to the entity type they produce. */
const TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
  'tg-time': 'date_time',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  attrs: Map<string, string>;
  start: number;
  /** Set on a <pre> when a nested <code class="language-x"> names the language. */
  language?: string;
}

function fail(detail: string): TelegramApiError {
  return badRequest(`can't parse entities: ${detail}`);
}

/** Parses Telegram-flavoured HTML into plain text + entities (offsets in UTF-16 units). */
export function parseHtml(source: string): FormattedText {
  const p = new HtmlParser(source);
  return p.run();
}

class HtmlParser {
  private i = 0;
  private text = '';
  private readonly stack: OpenTag[] = [];
  private readonly entities: TgMessageEntity[] = [];

  constructor(private readonly src: string) {}

  run(): FormattedText {
    while (this.i < this.src.length) {
      const c = this.src[this.i];
      if (c === '<') this.tag();
      else if (c === '&') this.entity();
      else {
        this.text += c;
        this.i += 1;
      }
    }
    const open = this.stack.at(-1);
    if (open) throw fail(`Can't find end tag corresponding to start tag "${open.name}"`);
    return { text: this.text, entities: sortEntities(this.entities) };
  }

  private at(): number {
    return byteOffset(this.src, this.i);
  }

  private entity(): void {
    const rest = this.src.slice(this.i);
    const m = /^&(?:([a-zA-Z]+)|#(\d+)|#[xX]([0-9a-fA-F]+));/.exec(rest);
    let decoded: string | undefined;
    if (m?.[1] !== undefined) decoded = NAMED_ENTITIES[m[1]];
    else if (m?.[2] !== undefined) decoded = safeCodePoint(Number(m[2]));
    else if (m?.[3] !== undefined) decoded = safeCodePoint(parseInt(m[3], 16));
    if (m && decoded !== undefined) {
      this.text += decoded;
      this.i += m[0].length;
      return;
    }
    // Unknown entities are kept as literal text, like Telegram does.
    this.text += '&';
    this.i += 1;
  }

  private tag(): void {
    const start = this.at();
    if (this.src[this.i + 1] === '/') {
      this.endTag(start);
      return;
    }
    this.i += 1;
    const name = this.readName().toLowerCase();
    if (name === '' || !(name in TAGS)) {
      throw fail(`Unsupported start tag "${name}" at byte offset ${start}`);
    }
    const attrs = this.readAttributes(name, start);
    this.openTag(name, attrs, start);
  }

  private readName(): string {
    const m = /^[a-zA-Z][a-zA-Z0-9-]*/.exec(this.src.slice(this.i));
    const name = m ? m[0] : '';
    this.i += name.length;
    return name;
  }

  private skipSpaces(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i])) this.i += 1;
  }

  private readAttributes(tag: string, start: number): Map<string, string> {
    const attrs = new Map<string, string>();
    for (;;) {
      this.skipSpaces();
      if (this.i >= this.src.length) throw fail(`Unclosed start tag at byte offset ${start}`);
      if (this.src[this.i] === '>') {
        this.i += 1;
        return attrs;
      }
      const m = /^[a-zA-Z_][a-zA-Z0-9_-]*/.exec(this.src.slice(this.i));
      if (!m) throw fail(`Empty attribute name in the tag "${tag}" at byte offset ${start}`);
      this.i += m[0].length;
      this.skipSpaces();
      let value = '';
      if (this.src[this.i] === '=') {
        this.i += 1;
        this.skipSpaces();
        value = this.readAttributeValue(start);
      }
      attrs.set(m[0].toLowerCase(), value);
    }
  }

  private readAttributeValue(start: number): string {
    const quote = this.src[this.i];
    if (quote === '"' || quote === "'") {
      const end = this.src.indexOf(quote, this.i + 1);
      if (end < 0) throw fail(`Unclosed start tag at byte offset ${start}`);
      const raw = this.src.slice(this.i + 1, end);
      this.i = end + 1;
      return decodeAttribute(raw);
    }
    const m = /^[^\s>]*/.exec(this.src.slice(this.i));
    const raw = m ? m[0] : '';
    this.i += raw.length;
    return decodeAttribute(raw);
  }

  private openTag(name: string, attrs: Map<string, string>, start: number): void {
    if (name === 'span' && attrs.get('class') !== 'tg-spoiler') {
      throw fail(`Tag "span" must have class "tg-spoiler" at byte offset ${start}`);
    }
    if (name === 'tg-emoji' && !/^\d+$/.test(attrs.get('emoji-id') ?? '')) {
      throw fail(`Custom emoji identifier must be specified at byte offset ${start}`);
    }
    if (name === 'tg-time' && !/^\d+$/.test(attrs.get('unix') ?? '')) {
      throw fail(`Unix time must be specified at byte offset ${start}`);
    }
    const parent = this.stack.at(-1);
    if (name === 'code' && parent?.name === 'pre') {
      const lang = /^language-(.+)$/.exec(attrs.get('class') ?? '');
      if (lang && parent.language === undefined) parent.language = lang[1];
    }
    this.stack.push({ name, attrs, start: this.text.length });
  }

  private endTag(start: number): void {
    this.i += 2;
    const name = this.readName().toLowerCase();
    this.skipSpaces();
    if (this.src[this.i] !== '>') throw fail(`Unclosed end tag at byte offset ${start}`);
    this.i += 1;
    const open = this.stack.pop();
    if (!open) throw fail(`Unexpected end tag at byte offset ${start}`);
    if (open.name !== name) {
      throw fail(
        `Unmatched end tag at byte offset ${start}, expected "</${open.name}>", found "</${name}>"`,
      );
    }
    this.closeEntity(open);
  }

  private closeEntity(open: OpenTag): void {
    const length = this.text.length - open.start;
    if (length === 0) return;
    const parent = this.stack.at(-1);
    if (open.name === 'code' && parent?.name === 'pre' && parent.language !== undefined) return;
    const entity: TgMessageEntity = { type: TAGS[open.name], offset: open.start, length };
    if (open.name === 'a') {
      const href = open.attrs.get('href') ?? '';
      if (href === '') return;
      entity.url = href;
    }
    if (open.name === 'pre' && open.language !== undefined) entity.language = open.language;
    if (open.name === 'blockquote' && open.attrs.has('expandable')) {
      entity.type = 'expandable_blockquote';
    }
    if (open.name === 'tg-emoji') entity.custom_emoji_id = open.attrs.get('emoji-id');
    if (open.name === 'tg-time') {
      entity.unix_time = Number(open.attrs.get('unix'));
      const format = open.attrs.get('format');
      if (format) entity.date_time_format = format;
    }
    this.entities.push(entity);
  }
}

function safeCodePoint(n: number): string | undefined {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
}

function decodeAttribute(raw: string): string {
  return raw.replace(/&(?:([a-zA-Z]+)|#(\d+)|#[xX]([0-9a-fA-F]+));/g, (all, named, dec, hex) => {
    if (typeof named === 'string') return NAMED_ENTITIES[named] ?? all;
    const cp = safeCodePoint(typeof dec === 'string' ? Number(dec) : parseInt(String(hex), 16));
    return cp ?? all;
  });
}
