/**
 * Splits text into parts of at most `max` Unicode code points, preferring line breaks, then
 * spaces, so that words stay whole.
 */
export function splitText(text: string, max: number): string[] {
  const points = Array.from(text);
  if (points.length <= max) return [text];
  const parts: string[] = [];
  let start = 0;
  while (start < points.length) {
    let end = Math.min(start + max, points.length);
    if (end < points.length) {
      const window = points.slice(start, end);
      const newline = window.lastIndexOf('\n');
      const space = window.lastIndexOf(' ');
      const cut = newline > max / 2 ? newline : space > 0 ? space : -1;
      if (cut > 0) end = start + cut;
    }
    const part = points.slice(start, end).join('').trim();
    if (part !== '') parts.push(part);
    start = end;
    while (start < points.length && /\s/.test(points[start])) start++;
  }
  return parts;
}
