/** Minimal reading of a messaging TwiML response: the text of each <Message> verb. */

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&apos;': "'",
};

export function twimlMessages(xml: string): string[] {
  const out: string[] = [];
  const verb = /<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/g;
  for (let m = verb.exec(xml); m !== null; m = verb.exec(xml)) {
    const inner = m[1];
    const body =
      /<Body(?:\s[^>]*)?>([\s\S]*?)<\/Body>/.exec(inner)?.[1] ??
      inner.replace(/<Media[\s\S]*?<\/Media>/g, '');
    out.push(body.replace(/&(lt|gt|amp|quot|apos);/g, (e) => ENTITIES[e] ?? e).trim());
  }
  return out;
}
