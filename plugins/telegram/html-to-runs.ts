/**
 * Parses the sanitized HTML the gateway hands to `send` into rich-text runs, like a browser would
 * lay it out: whitespace collapsed, paragraphs and blocks separated by blank lines, `br` as a
 * line break, list items as "• " lines. Unknown tags keep their text; unsafe links lose their href.
 * The HTML is read by the contract's `readHtml` (htmlparser2: balanced events, entities decoded).
 */
import { HEADINGS, readHtml } from '../../src/core/adapter';
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
  ...HEADINGS,
  'table',
  'tr',
  'section',
  'article',
  'header',
  'footer',
  'hr',
]);
const SAFE_URL = /^(https?:|mailto:|tg:)/i;
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

  /** `raw` is decoded text (readHtml decodes entities). */
  addText(raw: string): void {
    let text = raw;
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

function markFor(name: string, attributes: Record<string, string>): Mark | undefined {
  const tag = INLINE[name];
  if (!tag) return undefined;
  if (tag !== 'a') return { tag };
  const href = attributes.href?.trim();
  return href && SAFE_URL.test(href) ? { tag, href } : undefined;
}

export function htmlToRuns(html: string): Run[] {
  // One element per open event, void ones too: readHtml's events are balanced, so every close
  // ends the element opened last.
  const stack: Element[] = [];
  const builder = new RunBuilder(stack);
  readHtml(html, {
    open: (name, attributes) => {
      if (name === 'br') builder.lineBreak();
      else if (BLOCKS.has(name)) builder.breakLines(2);
      const element: Element = { name, mark: markFor(name, attributes) };
      if (name === 'ul' || name === 'ol') element.list = { ordered: name === 'ol', next: 1 };
      if (name === 'li') {
        builder.breakLines(1);
        const list = [...stack].reverse().find((e) => e.list)?.list;
        const bullet = list?.ordered ? `${list.next++}. ` : '• ';
        stack.push(element);
        builder.addText(bullet);
        return;
      }
      stack.push(element);
    },
    text: (text) => builder.addText(text),
    close: (name) => {
      stack.pop();
      if (BLOCKS.has(name) || name === 'li') builder.breakLines(name === 'li' ? 1 : 2);
    },
  });
  return builder.finish();
}
