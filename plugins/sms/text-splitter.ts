/**
 * Splits text over Twilio's Body limit (1600 characters) at whitespace where possible. Parts are
 * measured in UTF-16 units, so they are within the limit however characters are counted, and a
 * surrogate pair is never cut.
 */
export const TWILIO_MAX_BODY = 1600;

export function splitText(text: string, limit = TWILIO_MAX_BODY): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf(' ', limit);
    const newline = rest.lastIndexOf('\n', limit);
    cut = Math.max(cut, newline);
    if (cut <= 0) cut = safeCut(rest, limit);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]+/, '');
  }
  if (rest !== '' || parts.length === 0) parts.push(rest);
  return parts.filter((part, index) => part !== '' || index === 0);
}

function safeCut(text: string, limit: number): number {
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
