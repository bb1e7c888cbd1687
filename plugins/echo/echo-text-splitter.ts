/**
 * Splits text longer than the platform's limit into several messages, at whitespace when it can,
 * never inside a surrogate pair, and (for Echo markup) closing and reopening formatting tags at
 * each boundary so every part renders on its own.
 */
import { decodeEntities, escapeAttribute, escapeText, tokenizeMarkup } from './echo-markup';

type OpenTag = { tag: string; href?: string };

/** Splits Echo markup so that the visible text of each part has at most `max` code points. */
export function splitMarkup(markup: string, max: number): string[] {
  const parts: string[] = [];
  const open: OpenTag[] = [];
  let current = '';
  let visible = 0;

  const flush = (): void => {
    current += [...open]
      .reverse()
      .map((tag) => `</${tag.tag}>`)
      .join('');
    parts.push(current);
    current = open.map(renderOpen).join('');
    visible = 0;
  };

  for (const token of tokenizeMarkup(markup)) {
    if (token.type === 'open') {
      open.push({ tag: token.tag, href: token.href });
      current += renderOpen({ tag: token.tag, href: token.href });
    } else if (token.type === 'close') {
      const index = open.map((tag) => tag.tag).lastIndexOf(token.tag);
      if (index < 0) continue;
      open.splice(index, 1);
      current += `</${token.tag}>`;
    } else {
      let chars = Array.from(decodeEntities(token.text));
      while (chars.length > 0) {
        const budget = max - visible;
        if (chars.length <= budget) {
          current += escapeText(chars.join(''));
          visible += chars.length;
          break;
        }
        const cut = cutPoint(chars, budget, visible === 0);
        if (cut === 0) {
          flush();
          chars = dropLeadingSpace(chars);
          continue;
        }
        current += escapeText(chars.slice(0, cut).join('').trimEnd());
        flush();
        chars = dropLeadingSpace(chars.slice(cut));
      }
    }
  }
  parts.push(
    current +
      [...open]
        .reverse()
        .map((tag) => `</${tag.tag}>`)
        .join(''),
  );
  return parts.filter((part) => decodeEntities(part.replace(/<[^>]*>/g, '')).trim() !== '');
}

/** Splits plain text so that each part has at most `max` code points. */
export function splitText(text: string, max: number): string[] {
  return splitMarkup(escapeText(text), max).map((part) => decodeEntities(part));
}

/**
 * Where to end the current part: after the last whitespace within the budget if that keeps at
 * least half of it, else at the budget (a hard cut), or 0 to start a new part first when the part
 * already holds text and no whitespace fits.
 */
function cutPoint(chars: string[], budget: number, partIsEmpty: boolean): number {
  for (let index = Math.min(budget, chars.length - 1); index > 0; index--) {
    if (/\s/.test(chars[index])) {
      if (index >= budget / 2 || !partIsEmpty) return index;
      break;
    }
  }
  return partIsEmpty ? Math.max(budget, 1) : 0;
}

function dropLeadingSpace(chars: string[]): string[] {
  let start = 0;
  while (start < chars.length && /\s/.test(chars[start])) start++;
  return chars.slice(start);
}

function renderOpen(tag: OpenTag): string {
  return tag.href === undefined
    ? `<${tag.tag}>`
    : `<${tag.tag} href="${escapeAttribute(tag.href)}">`;
}
