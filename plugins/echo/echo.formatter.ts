/**
 * Renders the sanitized HTML an agent wrote (HubSpot's subset) in Echo markup: bold, italic and
 * links survive; paragraphs, line breaks and list items become newlines; other tags keep only
 * their text.
 */
import { decodeEntities, escapeAttribute, escapeText, tokenizeMarkup } from './echo-markup';

const RENDERED: Record<string, 'b' | 'i'> = { b: 'b', strong: 'b', i: 'i', em: 'i' };
const BLOCKS = new Set(['p', 'div', 'blockquote', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** An `<a>` whose href is not a safe link: its text stays, the link goes. */
const DROPPED = 'a-dropped';
const SAFE_LINK = /^(https?:|mailto:|tel:)/i;

export function renderEchoMarkup(html: string): string {
  let out = '';
  const open: string[] = [];
  for (const token of tokenizeMarkup(html)) {
    if (token.type === 'text') {
      out += escapeText(decodeEntities(token.text).replace(/\s+/g, ' '));
    } else if (token.tag === 'br') {
      out += '\n';
    } else if (token.tag === 'li') {
      out += token.type === 'open' ? '\n• ' : '';
    } else if (BLOCKS.has(token.tag)) {
      out += '\n\n';
    } else if (token.tag in RENDERED || token.tag === 'a') {
      out += renderInline(token, open);
    }
  }
  out += open
    .filter((tag) => tag !== DROPPED)
    .reverse()
    .map((tag) => `</${tag}>`)
    .join('');
  return tidyLines(out);
}

function renderInline(token: ReturnType<typeof tokenizeMarkup>[number], open: string[]): string {
  if (token.type === 'text') return '';
  const tag = token.tag === 'a' ? 'a' : RENDERED[token.tag];
  if (token.type === 'close') {
    const index = Math.max(open.lastIndexOf(tag), tag === 'a' ? open.lastIndexOf(DROPPED) : -1);
    if (index < 0) return '';
    const [closed] = open.splice(index, 1);
    return closed === DROPPED ? '' : `</${tag}>`;
  }
  if (tag === 'a') {
    if (!token.href || !SAFE_LINK.test(token.href)) {
      open.push(DROPPED);
      return '';
    }
    open.push('a');
    return `<a href="${escapeAttribute(token.href)}">`;
  }
  open.push(tag);
  return `<${tag}>`;
}

/** Trims spaces around newlines, at most one blank line in a row, none at either end. */
function tidyLines(markup: string): string {
  return markup
    .replace(/[ \t]*\n[ \t]*/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}
