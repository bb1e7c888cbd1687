/**
 * HTML for Matrix `formatted_body` (format `org.matrix.custom.html`): a small whitelist sanitiser
 * for what we send, and the reverse mapping of a customer's HTML to the gateway's normalized
 * subset. Hand-written because sanitize-html >= 2.17 needs Node >= 22.12 (see README.md).
 */

export type HtmlToken =
  | { type: 'text'; text: string }
  | { type: 'open'; tag: string; attrs: Record<string, string>; selfClosing: boolean }
  | { type: 'close'; tag: string };

const TAG =
  /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** Splits HTML into text and tag tokens (comments dropped, text entity-decoded). */
export function tokenizeHtml(html: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  let last = 0;
  for (const match of html.matchAll(TAG)) {
    const index = match.index ?? 0;
    if (index > last) tokens.push({ type: 'text', text: decodeEntities(html.slice(last, index)) });
    last = index + match[0].length;
    if (match[0].startsWith('<!--')) continue;
    const tag = match[2].toLowerCase();
    if (match[1] === '/') {
      tokens.push({ type: 'close', tag });
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const attr of (match[3] ?? '').matchAll(ATTR)) {
      attrs[attr[1].toLowerCase()] = decodeEntities(attr[2] ?? attr[3] ?? attr[4] ?? '');
    }
    tokens.push({ type: 'open', tag, attrs, selfClosing: match[4] === '/' || VOID.has(tag) });
  }
  if (last < html.length) tokens.push({ type: 'text', text: decodeEntities(html.slice(last)) });
  return tokens;
}

const VOID = new Set(['br', 'hr', 'img']);
const DROP_WITH_CONTENT = new Set(['script', 'style', 'mx-reply', 'head', 'title']);
const SAFE_SCHEMES = /^(https?|ftp|mailto|magnet):/i;

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
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
  const stack: (string | null)[] = [];
  let dropping = 0;
  for (const token of tokenizeHtml(html)) {
    if (token.type === 'text') {
      if (dropping === 0) out += escapeHtml(token.text);
      continue;
    }
    if (DROP_WITH_CONTENT.has(token.tag)) {
      if (token.type === 'open' && !token.selfClosing) dropping++;
      else if (token.type === 'close' && dropping > 0) dropping--;
      continue;
    }
    if (dropping > 0) continue;
    const target = map[token.tag] ?? null;
    if (token.type === 'open') {
      if (target === 'br' || (token.selfClosing && target !== null)) {
        out += `<${target}>`;
        continue;
      }
      if (token.selfClosing) continue;
      if (target === 'a') {
        const href = token.attrs.href ?? '';
        if (!SAFE_SCHEMES.test(href.trim())) {
          stack.push(null);
          continue;
        }
        out += `<a href="${escapeHtml(href.trim())}">`;
      } else if (target !== null) {
        out += `<${target}>`;
      }
      stack.push(target);
    } else {
      const index = stack.lastIndexOf(map[token.tag] ?? null);
      if (blockBreak.has(token.tag) && out !== '' && !out.endsWith('<br>')) out += '<br>';
      if (index < 0) continue;
      const closing = stack.splice(index);
      for (const tag of closing.reverse()) if (tag !== null) out += `</${tag}>`;
    }
  }
  for (const tag of stack.reverse()) if (tag !== null) out += `</${tag}>`;
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
const INBOUND_BLOCKS = new Set(['p', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr']);

/** A customer's `formatted_body` as normalized HTML (reply fallback removed). */
export function toNormalizedHtml(formattedBody: string): string {
  return rewrite(formattedBody, INBOUND, INBOUND_BLOCKS).replace(/(<br>)+$/, '');
}

/** Visible text of HTML: tags removed, entities decoded, `br` and blocks as new lines. */
export function htmlToText(html: string): string {
  let text = '';
  let dropping = 0;
  for (const token of tokenizeHtml(html)) {
    if (token.type === 'text') {
      if (dropping === 0) text += token.text;
    } else if (DROP_WITH_CONTENT.has(token.tag)) {
      if (token.type === 'open' && !token.selfClosing) dropping++;
      else if (token.type === 'close' && dropping > 0) dropping--;
    } else if (token.type === 'open' && token.tag === 'br') {
      text += '\n';
    } else if (token.type === 'close' && INBOUND_BLOCKS.has(token.tag) && !text.endsWith('\n')) {
      text += '\n';
    }
  }
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
