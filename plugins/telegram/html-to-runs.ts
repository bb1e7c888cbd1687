/**
 * Parses the sanitized HTML the gateway hands to `send` into rich-text runs, like a browser would
 * lay it out: whitespace collapsed, paragraphs and blocks separated by blank lines, `br` as a
 * line break, list items as "• " lines. Unknown tags keep their text; unsafe links lose their href.
 */
import type { Mark, MarkTag, Run } from './rich-text';

const INLINE: Record<string, MarkTag> = {
  b: 'b',
  strong: 'b',
  i: 'i',
  em: 'i',
  u: 'u',
  ins: 'u',
  s: 's',
  strike: 's',
  del: 's',
  code: 'code',
  pre: 'pre',
  a: 'a',
  blockquote: 'blockquote',
};
const BLOCKS = new Set([
  'p',
  'div',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'tr',
  'section',
  'article',
  'header',
  'footer',
  'hr',
]);
const VOID = new Set(['br', 'img', 'hr', 'input', 'meta', 'link', 'wbr']);
const SAFE_URL = /^(https?:|mailto:|tg:)/i;
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

interface Element {
  name: string;
  mark?: Mark;
  list?: { ordered: boolean; next: number };
}

class RunBuilder {
  readonly runs: Run[] = [];
  private pendingBreaks = 0;
  private text = '';

  constructor(private readonly stack: Element[]) {}

  private get marks(): Mark[] {
    return this.stack.flatMap((element) => (element.mark ? [element.mark] : []));
  }

  private get inPre(): boolean {
    return this.stack.some((element) => element.mark?.tag === 'pre');
  }

  breakLines(count: number): void {
    if (this.text === '') return;
    this.pendingBreaks = Math.max(this.pendingBreaks, count);
  }

  lineBreak(): void {
    this.flushBreaks();
    this.push('\n', this.marks);
  }

  addText(raw: string): void {
    let text = decodeEntities(raw);
    if (!this.inPre) {
      text = text.replace(/[ \t\r\n\f]+/g, ' ');
      if (this.pendingBreaks > 0 || this.text === '' || this.text.endsWith('\n')) {
        text = text.replace(/^ /, '');
      }
      if (this.text.endsWith(' ')) text = text.replace(/^ /, '');
    }
    if (text === '') return;
    this.flushBreaks();
    this.push(text, this.marks);
  }

  private flushBreaks(): void {
    if (this.pendingBreaks === 0) return;
    const trailing = /\n*$/.exec(this.text)?.[0].length ?? 0;
    this.trimTrailingSpace();
    const needed = this.pendingBreaks - trailing;
    if (needed > 0) this.push('\n'.repeat(needed), []);
    this.pendingBreaks = 0;
  }

  private trimTrailingSpace(): void {
    const last = this.runs[this.runs.length - 1];
    if (last && last.text.endsWith(' ')) {
      last.text = last.text.replace(/ +$/, '');
      this.text = this.text.replace(/ +$/, '');
    }
  }

  private push(text: string, marks: Mark[]): void {
    this.text += text;
    const last = this.runs[this.runs.length - 1];
    if (last && sameMarks(last.marks, marks)) last.text += text;
    else this.runs.push({ text, marks });
  }

  finish(): Run[] {
    return trimRuns(this.runs);
  }
}

function sameMarks(a: Mark[], b: Mark[]): boolean {
  return (
    a.length === b.length && a.every((mark, i) => mark.tag === b[i].tag && mark.href === b[i].href)
  );
}

/** Removes leading and trailing whitespace of the whole text. */
function trimRuns(runs: Run[]): Run[] {
  const out = runs.map((run) => ({ ...run }));
  while (out.length && out[0].text.trimStart() === '') out.shift();
  if (out.length) out[0].text = out[0].text.trimStart();
  while (out.length && out[out.length - 1].text.trimEnd() === '') out.pop();
  if (out.length) out[out.length - 1].text = out[out.length - 1].text.trimEnd();
  return out;
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(
    attributes,
  );
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

function markFor(name: string, attributes: string): Mark | undefined {
  const tag = INLINE[name];
  if (!tag) return undefined;
  if (tag !== 'a') return { tag };
  const href = attribute(attributes, 'href')?.trim();
  return href && SAFE_URL.test(href) ? { tag, href } : undefined;
}

const TOKEN = /<!--[\s\S]*?-->|<\/?([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;

export function htmlToRuns(html: string): Run[] {
  const stack: Element[] = [];
  const builder = new RunBuilder(stack);
  for (const match of html.matchAll(TOKEN)) {
    const token = match[0];
    const name = match[1]?.toLowerCase();
    if (token.startsWith('<!--')) continue;
    if (!name) {
      builder.addText(token);
      continue;
    }
    if (token.startsWith('</')) {
      const index = stack.map((element) => element.name).lastIndexOf(name);
      if (index < 0) continue;
      stack.splice(index);
      if (BLOCKS.has(name) || name === 'li') builder.breakLines(name === 'li' ? 1 : 2);
      continue;
    }
    const attributes = match[2] ?? '';
    if (name === 'br') {
      builder.lineBreak();
      continue;
    }
    if (BLOCKS.has(name)) builder.breakLines(2);
    if (VOID.has(name)) continue;
    const element: Element = { name, mark: markFor(name, attributes) };
    if (name === 'ul' || name === 'ol') element.list = { ordered: name === 'ol', next: 1 };
    if (name === 'li') {
      builder.breakLines(1);
      const list = [...stack].reverse().find((e) => e.list)?.list;
      const bullet = list?.ordered ? `${list.next++}. ` : '• ';
      stack.push(element);
      builder.addText(bullet);
      continue;
    }
    stack.push(element);
  }
  return builder.finish();
}
