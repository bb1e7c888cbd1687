/**
 * Reads HTML as a stream of balanced open / text / close events, with entities decoded and
 * without comments or invisible content (script, style and the like, dropped with their text).
 *
 * Why htmlparser2: it is a maintained, fast, forgiving streaming parser (no DOM is built), so
 * malformed markup, unclosed tags and stray closing tags come out as balanced events, and it
 * decodes the full HTML entity table. 10.1.0 is pinned because 11+ are ESM-only, which this
 * CommonJS project cannot load under Jest.
 */
import { Parser } from 'htmlparser2';

export interface HtmlEventHandler {
  /** `name` is lower case; attribute names are lower case, values decoded. */
  open(name: string, attributes: Record<string, string>): void;
  /** Decoded text, in pieces of any size. */
  text(text: string): void;
  /** Every open gets exactly one close, innermost first (also for void elements). */
  close(name: string): void;
}

/** Elements whose content is never shown to a reader. */
const INVISIBLE = new Set([
  'script',
  'style',
  'template',
  'head',
  'title',
  'iframe',
  'object',
  'noscript',
]);

export function readHtml(html: string, handler: HtmlEventHandler): void {
  // Depth inside an invisible element; everything there is ignored.
  let hidden = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (hidden > 0 || INVISIBLE.has(name)) hidden++;
        else handler.open(name, attributes);
      },
      ontext(text) {
        if (hidden === 0) handler.text(text);
      },
      onclosetag(name) {
        if (hidden > 0) hidden--;
        else handler.close(name);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
}
