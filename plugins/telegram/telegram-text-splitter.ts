/**
 * Splits text into parts of at most `limit` UTF-16 code units (so also at most `limit` code
 * points) at whitespace, preferring line breaks; a word longer than the limit is cut, never
 * inside a surrogate pair. The whitespace at a cut is dropped.
 */
export function splitRanges(text: string, limit: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = skipSpace(text, 0);
  while (start < text.length) {
    let end = trimEnd(text, start, text.length);
    if (end - start <= limit) {
      ranges.push([start, end]);
      break;
    }
    end = cutPoint(text, start, limit);
    ranges.push([start, trimEnd(text, start, end)]);
    start = skipSpace(text, end);
  }
  return ranges.filter(([from, to]) => to > from);
}

function cutPoint(text: string, start: number, limit: number): number {
  const max = start + limit;
  let lastSpace = -1;
  let lastNewline = -1;
  for (let index = start + 1; index <= max; index++) {
    const char = text[index];
    if (char === '\n') lastNewline = index;
    if (char !== undefined && /\s/.test(char)) lastSpace = index;
  }
  if (lastNewline > start + limit / 2) return lastNewline;
  if (lastSpace > start) return lastSpace;
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

function skipSpace(text: string, index: number): number {
  while (index < text.length && /\s/.test(text[index])) index++;
  return index;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}
