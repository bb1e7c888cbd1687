/**
 * Property-style checks on random HubSpot-like HTML (seeded, so failures reproduce): whatever
 * the markup and the declared features, no word is lost, invisible content never shows, the
 * HTML uses only the declared tags and is well nested, and the plain text is tidy.
 */
import { RICH_TEXT_FEATURES, type OutboundCapabilities } from '../../core/adapter';
import { renderAgentText } from './render-agent-text';

/** mulberry32: a small deterministic PRNG. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Generator {
  readonly words: string[] = [];
  constructor(private readonly next: () => number) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  word(): string {
    const word = `w${this.words.length}${this.pick(['a', 'q', 'x', 'zz', 'é'])}`;
    this.words.push(word);
    return word;
  }

  /** Text with the whitespace and entities the editor produces around words. */
  text(): string {
    const space = () => this.pick([' ', '  ', '\n', '&nbsp;', ' &nbsp;', '\t']);
    const punctuation = this.pick(['', ',', '.', ' &amp;', ' &lt;3', ' &quot;q&quot;']);
    return `${space()}${this.word()}${punctuation}${space()}`;
  }

  nodes(depth: number): string {
    let html = '';
    const count = 1 + Math.floor(this.next() * 4);
    for (let index = 0; index < count; index++) html += this.node(depth);
    return html;
  }

  node(depth: number): string {
    if (depth <= 0) return this.text();
    const inner = () => this.nodes(depth - 1);
    switch (Math.floor(this.next() * 16)) {
      case 0:
      case 1:
        return this.text();
      case 2:
        return `<${this.pick(['b', 'strong', 'i', 'em', 'u', 's', 'code', 'span style="color:red"', 'font'])}>${inner()}</${this.pick(['b', 'strong', 'i', 'em', 'u', 's', 'code', 'span', 'font'])}>`;
      case 3:
        return `<p${this.pick(['', ' style="text-align: center"'])}>${inner()}</p>`;
      case 4:
        return `<div>${inner()}</div>`;
      case 5:
        return `<blockquote>${inner()}</blockquote>`;
      case 6: {
        const tag = this.pick(['ul', 'ol']);
        const items = [inner(), inner()].map((item) => `<li>${item}${this.pick(['</li>', ''])}`);
        return `<${tag}>${items.join('')}</${tag}>`;
      }
      case 7: {
        const href = this.pick([
          `https://example.com/p${this.words.length}`,
          'mailto:help@example.com',
          'tel:+123',
          'javascript:alert(1)',
          '#top',
          'ftp://example.com/f',
        ]);
        return `<a href="${href}">${inner()}</a>`;
      }
      case 8:
        return this.pick(['<br>', '<br/>', '</br>', '<p><br></p>', '<hr>']);
      case 9:
        return `<img src="https://cdn.example.com/i.png" alt="${this.word()}">`;
      case 10:
        return `<pre>${this.text()}\n  ${this.text()}</pre>`;
      case 11:
        return this.pick([
          '<script>hidden1()</script>',
          '<style>.hidden2{}</style>',
          '<!-- hidden3 -->',
        ]);
      case 12:
        // Malformed: unclosed or stray tags.
        return (
          this.pick(['<b>', '</i>', '<p>', '</div>', '<a href="https://x.io">', '</li>']) + inner()
        );
      case 13:
        return `<h2>${inner()}</h2>`;
      case 14:
        return `<table><tr><td>${inner()}</td><td>${inner()}</td></tr></table>`;
      default:
        return inner();
    }
  }
}

const wordsOf = (text: string): Set<string> =>
  new Set(text.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== ''));

/** Text content of the HTML subset, entities decoded. */
const htmlText = (html: string): string =>
  html
    .replace(/<br>/g, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Checks that only allowed tags appear, attributes only as a quoted href, all well nested. */
function expectWellFormed(html: string, allowed: Set<string>): void {
  const stack: string[] = [];
  for (const [tag, closing, name, rest] of html.matchAll(/<(\/?)([a-z]+)([^>]*)>/g)) {
    expect(allowed).toContain(name);
    if (name === 'br') {
      expect(tag).toBe('<br>');
    } else if (closing) {
      expect(stack.pop()).toBe(name);
    } else {
      expect(rest).toMatch(name === 'a' ? /^ href="(https?|mailto|tel):[^"<>]*"$/i : /^$/);
      stack.push(name);
    }
  }
  expect(stack).toEqual([]);
  // No stray angle brackets outside tags.
  expect(html.replace(/<\/?[a-z]+[^>]*>/g, '')).not.toMatch(/[<>]/);
}

const TAGS: Record<string, string> = {
  BOLD: 'b',
  ITALIC: 'i',
  UNDERLINE: 'u',
  HYPERLINK: 'a',
  BLOCKQUOTE: 'blockquote',
};

describe('renderAgentText on random HubSpot-like HTML', () => {
  for (let seed = 1; seed <= 300; seed++) {
    it(`keeps every word and stays within the declared features (seed ${seed})`, () => {
      const next = random(seed);
      const generator = new Generator(next);
      const richText = generator.nodes(1 + Math.floor(next() * 4));
      const outbound: Pick<OutboundCapabilities, 'formatting' | 'richText'> = {
        formatting: next() < 0.3 ? 'plain' : 'html',
        richText: RICH_TEXT_FEATURES.filter(() => next() < 0.5),
      };
      const result = renderAgentText({ text: 'fallback', richText }, outbound);

      const textWords = wordsOf(result.text);
      for (const word of generator.words) expect(textWords).toContain(word);
      expect(result.text).not.toMatch(/hidden/);
      expect(result.text).not.toMatch(/[ \t]$/m);
      expect(result.text).not.toMatch(/\n\n\n|^\n|\n$/);

      if (outbound.formatting === 'plain') {
        expect(result.html).toBeUndefined();
        return;
      }
      const html = result.html ?? '';
      const htmlWords = wordsOf(htmlText(html));
      for (const word of generator.words) expect(htmlWords).toContain(word);
      expect(html).not.toMatch(/hidden/);
      const allowed = new Set(['br', ...outbound.richText.flatMap((f) => TAGS[f] ?? [])]);
      expectWellFormed(html, allowed);
    });
  }
});
