/**
 * HTML for Matrix `formatted_body` (format `org.matrix.custom.html`): a small whitelist sanitiser
 * for what we send, and the reverse mapping of a customer's HTML to the gateway's normalized
 * subset. The HTML is read by the contract's `readHtml` (htmlparser2, balanced events, every
 * entity decoded); the whitelist mapping is ours because sanitize-html >= 2.17 needs
 * Node >= 22.12 (see README.md).
 */

import { HEADINGS, type HtmlEventHandler, readHtml } from '../../src/core/adapter';

/** Dropped with their content (readHtml already drops script, style, head, title and the like). */
const DROP_WITH_CONTENT = new Set(['mx-reply']);
/** Elements that have no content and no closing tag of their own. */
const VOID = new Set(['br', 'hr', 'img']);
const SAFE_SCHEMES = /^(https?|ftp|mailto|magnet):/i;

/** The events of `html` (core's readHtml: balanced, entities decoded) minus mx-reply. */
function readVisible(html: string, handler: HtmlEventHandler): void {
  let dropping = 0;
  readHtml(html, {
    open: (tag, attributes) => {
      if (DROP_WITH_CONTENT.has(tag)) dropping++;
      else if (dropping === 0) handler.open(tag, attributes);
    },
    text: (text) => {
      if (dropping === 0) handler.text(text);
    },
    close: (tag) => {
      if (DROP_WITH_CONTENT.has(tag)) dropping--;
      else if (dropping === 0) handler.close(tag);
    },
  });
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * Rewrites HTML through a tag map: `map[tag]` is the output tag, `null` keeps only the content;
 * tags missing from the map keep their content too. Only `href` (safe schemes) survives on `a`.
 */
function rewrite(
  html: string,
  map: Record<string, string | null>,
  blockBreak: ReadonlySet<string>,
): string {
  let out = '';
  // One entry per open non-void element (events are balanced): its output tag, or null.
  const stack: (string | null)[] = [];
  // A block stands on lines of its own, also when it opens inside inline content.
  const breakAtBlock = (tag: string) => {
    if (blockBreak.has(tag) && out !== '' && !out.endsWith('<br>')) out += '<br>';
  };
  readVisible(html, {
    open: (tag, attributes) => {
      breakAtBlock(tag);
      const target = map[tag] ?? null;
      if (VOID.has(tag)) {
        if (target !== null) out += `<${target}>`;
        return;
      }
      if (target === 'a') {
        const href = (attributes.href ?? '').trim();
        if (!SAFE_SCHEMES.test(href)) {
          stack.push(null);
          return;
        }
        out += `<a href="${escapeHtml(href)}">`;
      } else if (target !== null) {
        out += `<${target}>`;
      }
      stack.push(target);
    },
    text: (text) => {
      out += escapeHtml(text);
    },
    close: (tag) => {
      if (VOID.has(tag)) return;
      breakAtBlock(tag);
      const target = stack.pop();
      if (target) out += `</${target}>`;
    },
  });
  return out;
}

/** Tags we send in `formatted_body` (a subset of the spec's recommended whitelist). */
const OUTBOUND: Record<string, string | null> = {
  b: 'strong',
  strong: 'strong',
  i: 'em',
  em: 'em',
  u: 'u',
  s: 's',
  del: 'del',
  strike: 's',
  a: 'a',
  p: 'p',
  div: 'p',
  br: 'br',
  blockquote: 'blockquote',
  ul: 'ul',
  ol: 'ol',
  li: 'li',
  code: 'code',
  pre: 'pre',
};

/** Sanitises the gateway's outbound HTML for `formatted_body`. */
export function toMatrixHtml(html: string): string {
  return rewrite(html, OUTBOUND, new Set()).trim();
}

/** The normalized inbound subset: b, i, u, s, code, pre, a, br, blockquote. */
const INBOUND: Record<string, string | null> = {
  b: 'b',
  strong: 'b',
  i: 'i',
  em: 'i',
  u: 'u',
  s: 's',
  del: 's',
  strike: 's',
  code: 'code',
  pre: 'pre',
  a: 'a',
  br: 'br',
  blockquote: 'blockquote',
};
const INBOUND_BLOCKS = new Set(['p', 'div', 'li', ...HEADINGS, 'tr']);

/** A customer's `formatted_body` as normalized HTML (reply fallback removed). */
export function toNormalizedHtml(formattedBody: string): string {
  return rewrite(formattedBody, INBOUND, INBOUND_BLOCKS).replace(/(<br>)+$/, '');
}

/** Visible text of HTML: tags removed, entities decoded, `br` and blocks as new lines. */
export function htmlToText(html: string): string {
  let text = '';
  readVisible(html, {
    open: (tag) => {
      if (tag === 'br' || (INBOUND_BLOCKS.has(tag) && text !== '' && !text.endsWith('\n'))) {
        text += '\n';
      }
    },
    text: (piece) => {
      text += piece;
    },
    close: (tag) => {
      if (INBOUND_BLOCKS.has(tag) && !text.endsWith('\n')) text += '\n';
    },
  });
  return text.replace(/\n+$/, '');
}

/** Strips a legacy reply fallback from a plain `body`: leading `> ` lines and the blank line. */
export function stripReplyFallback(body: string): string {
  if (!body.startsWith('> ')) return body;
  const lines = body.split('\n');
  let index = 0;
  while (index < lines.length && lines[index].startsWith('>')) index++;
  if (index < lines.length && lines[index] === '') index++;
  return lines.slice(index).join('\n');
}
