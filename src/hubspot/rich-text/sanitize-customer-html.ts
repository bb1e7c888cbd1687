/**
 * Cleans the HTML adapters emit for a customer's formatted message before it goes to HubSpot as
 * `richText`: b, i, u, s, code, pre, a href (http, https, mailto, tel), br, blockquote and p stay
 * (strong/em/ins/strike/del as their short forms); every other tag goes and its text stays, with
 * a <br> where a dropped block would have started a new line. Output is always well nested.
 */
import { escapeHtmlAttribute, escapeHtmlText } from './escape-html';
import { HEADINGS, readHtml } from '../../core/adapter';
import { classifyHref } from './link-policy';

const KEPT: Record<string, string> = {
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
  blockquote: 'blockquote',
  p: 'p',
};
/** Kept tags that are blocks themselves, so no <br> is needed around them. */
const KEPT_BLOCKS = new Set(['p', 'pre', 'blockquote']);
const DROPPED_BLOCKS = new Set([
  'div',
  'ul',
  'ol',
  'li',
  ...HEADINGS,
  'table',
  'tr',
  'hr',
  'section',
  'article',
  'header',
  'footer',
  'dl',
  'dt',
  'dd',
]);

export function sanitizeCustomerHtml(html: string): string {
  let out = '';
  // The tag written for each open element, innermost last ('' when none was written).
  const written: string[] = [];
  let linkOpen = false;
  let breakPending = false;
  // Tracked instead of asking `out.endsWith`, which flattens the growing string every time.
  let atLineStart = true;

  /** `text` ends the line start; inline tags leave it as it is; breaks and blocks start one. */
  const write = (markup: string, kind: 'text' | 'inline' | 'line'): void => {
    if (breakPending && !atLineStart && kind !== 'line') out += '<br>';
    breakPending = false;
    out += markup;
    if (kind === 'text') atLineStart = false;
    else if (kind === 'line') atLineStart = true;
  };

  readHtml(html, {
    open(name, attributes) {
      let tag = KEPT[name] ?? '';
      if (name === 'br') {
        write('<br>', 'line');
      } else if (name === 'a') {
        const target = classifyHref(attributes.href);
        if (!linkOpen && target.kind === 'link') {
          write(`<a href="${escapeHtmlAttribute(target.href)}">`, 'inline');
          tag = 'a';
          linkOpen = true;
        }
      } else if (KEPT_BLOCKS.has(tag)) {
        write(`<${tag}>`, 'line');
      } else if (tag !== '') {
        write(`<${tag}>`, 'inline');
      } else if (DROPPED_BLOCKS.has(name)) {
        breakPending = true;
      }
      written.push(tag);
    },
    text(text) {
      // Whitespace between blocks is no content: it must not place a pending line break.
      if (text.trim() === '') out += escapeHtmlText(text);
      else write(escapeHtmlText(text), 'text');
    },
    close(name) {
      const tag = written.pop();
      if (tag) {
        out += `</${tag}>`;
        if (tag === 'a') linkOpen = false;
        if (KEPT_BLOCKS.has(tag)) {
          breakPending = false;
          atLineStart = true;
        }
      } else if (DROPPED_BLOCKS.has(name)) {
        breakPending = true;
      }
    },
  });
  return out;
}
