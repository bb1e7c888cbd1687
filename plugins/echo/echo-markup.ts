/**
 * Echo markup: the platform renders `<b>`, `<i>`, `<a href="...">` and newlines; everything else
 * is text. Helpers to tokenize it and to get its visible text.
 */

export type MarkupToken =
  | { type: 'text'; text: string }
  | { type: 'open'; tag: string; raw: string; href?: string }
  | { type: 'close'; tag: string; raw: string };

const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>/g;

/** Splits HTML into tags and (still entity-encoded) text runs. */
export function tokenizeMarkup(html: string): MarkupToken[] {
  const tokens: MarkupToken[] = [];
  let last = 0;
  for (const match of html.matchAll(TAG)) {
    const index = match.index ?? 0;
    if (index > last) tokens.push({ type: 'text', text: html.slice(last, index) });
    const tag = match[1].toLowerCase();
    if (match[0].startsWith('</')) tokens.push({ type: 'close', tag, raw: match[0] });
    else tokens.push({ type: 'open', tag, raw: match[0], href: attribute(match[2], 'href') });
    last = index + match[0].length;
  }
  if (last < html.length) tokens.push({ type: 'text', text: html.slice(last) });
  return tokens;
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(attributes);
  return match ? decodeEntities(match[2] ?? match[3] ?? '') : undefined;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const point =
        code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1));
      return Number.isFinite(point) && point <= 0x10ffff ? String.fromCodePoint(point) : whole;
    }
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** The text a reader sees: tags dropped, entities decoded. */
export function visibleText(markup: string): string {
  return tokenizeMarkup(markup)
    .map((token) => (token.type === 'text' ? decodeEntities(token.text) : ''))
    .join('');
}

/** Length in Unicode code points, the unit of the platform's text limit. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}
