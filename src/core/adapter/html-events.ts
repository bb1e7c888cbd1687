/**
 * Reads HTML as a stream of balanced open / text / close events, with entities decoded and
 * without comments or invisible content (script, style and the like, dropped with their text).
 * Part of the plugin contract: the HubSpot module reads agents' and customers' HTML with it, and
 * plugins read their platform's HTML with it instead of tokenizing HTML themselves.
 *
 * Why htmlparser2: it is a maintained, fast, forgiving tokenizer for real-world HTML (the full
 * entity table, raw-text elements such as script and style, broken markup). 10.1.0 is pinned
 * because 11+ are ESM-only, which this CommonJS project cannot load under Jest. We drive its
 * Tokenizer rather than its Parser: the Parser keeps open elements with Array.unshift/indexOf,
 * which takes quadratic time on deeply nested input; the balancing below is O(1) per tag.
 */
import { Tokenizer, type QuoteType, type TokenizerCallbacks } from 'htmlparser2';

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

/** Elements that never have content or a closing tag. */
const VOID = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'image',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** The heading elements, h1 to h6 (for plugins' and the HubSpot module's block lists). */
export const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const;

/** Block starts that end an open paragraph, as in browsers. */
const CLOSES_PARAGRAPH = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'details',
  'div',
  'dl',
  'fieldset',
  'figure',
  'footer',
  ...HEADINGS,
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
]);

/** Calls `handler` for each event of `html`, in document order. */
export function readHtml(html: string, handler: HtmlEventHandler): void {
  const reader = new BalancedReader(html, handler);
  const tokenizer = new Tokenizer({ decodeEntities: true }, reader);
  tokenizer.write(html);
  tokenizer.end();
}

/**
 * Turns tokens into balanced events: a closing tag closes everything opened after its element;
 * a block start closes an open paragraph, a list item an open list item (when current);
 * closing tags of elements that are not open are ignored (except `</br>` and `</p>`, which
 * browsers read as `<br>` and an empty paragraph); whatever is still open at the end closes.
 */
class BalancedReader implements TokenizerCallbacks {
  private readonly stack: string[] = [];
  /** How many elements of each name are open: makes "is it open?" O(1). */
  private readonly openCount = new Map<string, number>();
  /** Stack length at which an invisible element was opened; 0 when none is open. */
  private hiddenFrom = 0;
  private tagName = '';
  private attributes = emptyAttributes();
  private attributeName = '';
  private attributeValue = '';

  constructor(
    private readonly html: string,
    private readonly handler: HtmlEventHandler,
  ) {}

  ontext(start: number, endIndex: number): void {
    this.emitText(this.html.slice(start, endIndex));
  }

  ontextentity(codepoint: number): void {
    this.emitText(String.fromCodePoint(codepoint));
  }

  onopentagname(start: number, endIndex: number): void {
    this.tagName = this.html.slice(start, endIndex).toLowerCase();
    this.attributes = emptyAttributes();
  }

  onattribname(start: number, endIndex: number): void {
    this.attributeName = this.html.slice(start, endIndex).toLowerCase();
    this.attributeValue = '';
  }

  onattribdata(start: number, endIndex: number): void {
    this.attributeValue += this.html.slice(start, endIndex);
  }

  onattribentity(codepoint: number): void {
    this.attributeValue += String.fromCodePoint(codepoint);
  }

  onattribend(_quote: QuoteType): void {
    // The first of repeated attributes wins, as in browsers.
    if (!Object.hasOwn(this.attributes, this.attributeName)) {
      this.attributes[this.attributeName] = this.attributeValue;
    }
  }

  onopentagend(): void {
    this.openElement(this.tagName, this.attributes);
  }

  /** `<b/>` is an ordinary start tag in HTML. */
  onselfclosingtag(): void {
    this.openElement(this.tagName, this.attributes);
  }

  onclosetag(start: number, endIndex: number): void {
    const name = this.html.slice(start, endIndex).toLowerCase();
    if (VOID.has(name)) {
      if (name === 'br') this.openElement('br', emptyAttributes());
      return;
    }
    if ((this.openCount.get(name) ?? 0) > 0) {
      let closed: string | undefined;
      while (closed !== name) closed = this.closeTop();
    } else if (name === 'p') {
      this.openElement('p', emptyAttributes());
      this.closeTop();
    }
  }

  onend(): void {
    while (this.stack.length > 0) this.closeTop();
  }

  oncomment(): void {}
  oncdata(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}

  private openElement(name: string, attributes: Record<string, string>): void {
    // Browsers end an open paragraph at a new block and an open list item at the next one
    // (here only when it is the current element, which keeps this O(1)).
    if (CLOSES_PARAGRAPH.has(name) && this.top() === 'p') this.closeTop();
    if (name === 'li' && this.top() === 'li') this.closeTop();
    this.stack.push(name);
    this.openCount.set(name, (this.openCount.get(name) ?? 0) + 1);
    if (this.hiddenFrom === 0 && INVISIBLE.has(name)) this.hiddenFrom = this.stack.length;
    if (this.hiddenFrom === 0) this.handler.open(name, attributes);
    if (VOID.has(name)) this.closeTop();
  }

  private top(): string | undefined {
    return this.stack[this.stack.length - 1];
  }

  private closeTop(): string | undefined {
    const name = this.stack.pop();
    if (name === undefined) return undefined;
    this.openCount.set(name, (this.openCount.get(name) ?? 1) - 1);
    if (this.hiddenFrom === 0) this.handler.close(name);
    else if (this.stack.length < this.hiddenFrom) this.hiddenFrom = 0;
    return name;
  }

  private emitText(text: string): void {
    if (this.hiddenFrom === 0 && text !== '') this.handler.text(text);
  }
}

/** Without a prototype, so that an attribute called `__proto__` is just an attribute. */
function emptyAttributes(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}
