import { renderRuns } from '../rich-text';
import { htmlToRuns } from '../html-to-runs';
import { runsOf, splitTelegramText, toTelegramHtml } from '../telegram-html';
import { splitRanges } from '../telegram-text-splitter';
import { multipartFileName } from '../telegram-file-name';

describe('toTelegramHtml', () => {
  it('keeps supported formatting with Telegram tag names and escapes text', () => {
    expect(
      toTelegramHtml(
        '<p>Hi <strong>there</strong> &amp; <em>you</em> 1 &lt; 2 <a href="https://x.test/?a=1&amp;b=2">link</a></p>',
      ),
    ).toBe(
      'Hi <b>there</b> &amp; <i>you</i> 1 &lt; 2 <a href="https://x.test/?a=1&amp;b=2">link</a>',
    );
  });

  it('turns blocks, breaks and lists into newlines and bullets', () => {
    expect(
      toTelegramHtml(
        '<p>one</p><p>two<br>three</p><ul><li>a</li><li>b</li></ul><ol><li>x</li></ol>',
      ),
    ).toBe('one\n\ntwo\nthree\n\n• a\n• b\n\n1. x');
  });

  it('renders underline and blockquote, drops unknown tags and unsafe links', () => {
    expect(
      toTelegramHtml(
        '<u>under</u> <span style="x">plain</span> <a href="javascript:alert(1)">click</a><blockquote>quoted</blockquote>',
      ),
    ).toBe('<u>under</u> plain click\n\n<blockquote>quoted</blockquote>');
  });

  it('nests overlapping marks properly and decodes numeric entities', () => {
    expect(toTelegramHtml('<b>bold <i>both</b> italic</i> &#128512; &#x41;')).toBe(
      '<b>bold <i>both</i></b> italic 😀 A',
    );
  });

  it('reads HTML as a browser would: every named entity, comments, quoted ">" in attributes', () => {
    expect(
      toTelegramHtml(
        '<p>caf&eacute; &hellip; &amp;lt; <!-- <b>hidden</b> -->' +
          '<a title="a > b" href="https://x.test/?q=&quot;1&quot;">l</a><style>p{}</style></p>',
      ),
    ).toBe('café … &amp;lt; <a href="https://x.test/?q=&quot;1&quot;">l</a>');
  });

  it('collapses source whitespace like a browser, but not inside pre', () => {
    expect(toTelegramHtml('<p>\n  many   spaces\n</p><pre>a  b\n c</pre>')).toBe(
      'many spaces\n\n<pre>a  b\n c</pre>',
    );
  });

  it('escapes plain text without html', () => {
    const [part] = splitTelegramText(runsOf({ text: 'a <b> & c' }));
    expect(part).toEqual({ html: 'a &lt;b&gt; &amp; c', text: 'a <b> & c' });
  });

  it('gives no parts for empty content', () => {
    expect(splitTelegramText(runsOf({ text: '  ', html: '<p> </p>' }))).toEqual([]);
  });
});

describe('splitting', () => {
  it('splits at word boundaries, each part within the limit, dropping the whitespace at cuts', () => {
    const text = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
    const parts = splitRanges(text, 40).map(([s, e]) => text.slice(s, e));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(40);
    expect(parts.join(' ')).toBe(text);
  });

  it('prefers a line break in the second half of a part', () => {
    const text = 'aaaa bbbb cccc\ndddd eeee';
    expect(splitRanges(text, 20).map(([s, e]) => text.slice(s, e))).toEqual([
      'aaaa bbbb cccc',
      'dddd eeee',
    ]);
  });

  it('cuts a word longer than the limit without splitting a surrogate pair', () => {
    const text = `${'x'.repeat(9)}😀${'y'.repeat(5)}`;
    const parts = splitRanges(text, 10).map(([s, e]) => text.slice(s, e));
    expect(parts).toEqual(['x'.repeat(9), `😀${'y'.repeat(5)}`]);
  });

  it('closes formatting at the end of a part and reopens it in the next', () => {
    const runs = htmlToRuns(`<b>${'bold '.repeat(10)}</b>end`);
    const parts = splitTelegramText(runs, 24);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.text.length).toBeLessThanOrEqual(24);
      expect((part.html.match(/<b>/g) ?? []).length).toBe((part.html.match(/<\/b>/g) ?? []).length);
    }
    expect(parts[0].html).toMatch(/^<b>bold .*<\/b>$/);
    expect(parts.map((p) => p.text).join(' ')).toBe(`${'bold '.repeat(10)}end`.replace(/ +/g, ' '));
  });

  it('splits a 10000 character text into three messages of at most 4096', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `w${i}`)
      .join(' ')
      .padEnd(10000, ' z');
    const parts = splitTelegramText(runsOf({ text }));
    expect(parts.length).toBe(Math.ceil(text.length / 4096));
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);
  });

  it('renders normalized HTML for inbound with <br>', () => {
    expect(renderRuns([{ text: 'a\nb', marks: [{ tag: 'b' }] }], { newline: '<br>' })).toBe(
      '<b>a<br>b</b>',
    );
  });
});

describe('multipartFileName', () => {
  it('quotes names grammY would write unquoted', () => {
    expect(multipartFileName('plain.pdf')).toBe('plain.pdf');
    expect(multipartFileName('отчёт 2026 (final).pdf')).toBe('"отчёт 2026 (final).pdf"');
    expect(multipartFileName('a"b\\c.txt')).toBe('"a\\"b\\\\c.txt"');
  });
});
