import { formatText } from './formatting/format-text';
import { TelegramApiError } from './http/errors';

const md2 = (text: string) => formatText(text, 'MarkdownV2', undefined);
const html = (text: string) => formatText(text, 'HTML', undefined);
const failure = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof TelegramApiError) return err.description;
    throw err;
  }
  throw new Error('expected a TelegramApiError');
};

describe('Telegram simulator: formatting parsers', () => {
  it('parses nested MarkdownV2 entities', () => {
    expect(md2('*bold _both_*')).toEqual({
      text: 'bold both',
      entities: [
        { type: 'bold', offset: 0, length: 9 },
        { type: 'italic', offset: 5, length: 4 },
      ],
    });
    expect(md2('__u__ ~s~ ||sp||').entities.map((e) => e.type)).toEqual([
      'underline',
      'strikethrough',
      'spoiler',
    ]);
  });

  it('keeps reserved characters inside code and reads the pre language', () => {
    expect(md2('`a*b.c`')).toEqual({
      text: 'a*b.c',
      entities: [{ type: 'code', offset: 0, length: 5 }],
    });
    expect(md2('```js\nlet x = 1;\n```')).toEqual({
      text: 'let x = 1;\n',
      entities: [{ type: 'pre', offset: 0, length: 11, language: 'js' }],
    });
  });

  it('turns > lines into one blockquote', () => {
    expect(md2('>line one\n>line two\nafter')).toEqual({
      text: 'line one\nline two\nafter',
      entities: [{ type: 'blockquote', offset: 0, length: 17 }],
    });
  });

  it('reports unclosed MarkdownV2 entities', () => {
    expect(failure(() => md2('*open'))).toBe(
      "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0",
    );
    expect(failure(() => md2('a-b'))).toBe(
      "Bad Request: can't parse entities: Character '-' is reserved and must be escaped with the preceding '\\'",
    );
  });

  it('parses legacy Markdown without nesting', () => {
    expect(formatText('*b* _i_ [l](https://x.y)', 'Markdown', undefined)).toEqual({
      text: 'b i l',
      entities: [
        { type: 'bold', offset: 0, length: 1 },
        { type: 'italic', offset: 2, length: 1 },
        { type: 'text_link', offset: 4, length: 1, url: 'https://x.y' },
      ],
    });
  });

  it('parses all HTML tags Telegram supports', () => {
    const parsed = html(
      '<strong>b</strong><em>i</em><ins>u</ins><del>s</del><tg-spoiler>p</tg-spoiler>' +
        '<span class="tg-spoiler">q</span><code>c</code><blockquote expandable>e</blockquote>' +
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><tg-time unix="1700000000" format="wDT">t</tg-time>',
    );
    expect(parsed.entities.map((e) => e.type)).toEqual([
      'bold',
      'italic',
      'underline',
      'strikethrough',
      'spoiler',
      'spoiler',
      'code',
      'expandable_blockquote',
      'custom_emoji',
      'date_time',
    ]);
    expect(parsed.entities[8]).toMatchObject({ custom_emoji_id: '5368324170671202286' });
    expect(parsed.entities[9]).toMatchObject({ unix_time: 1700000000, date_time_format: 'wDT' });
  });

  it('decodes HTML entities and keeps unknown ones literally', () => {
    expect(html('&lt;a&gt; &amp; &quot; &#65;&#x42; &nbsp;').text).toBe('<a> & " AB &nbsp;');
  });

  it('uses UTF-8 byte offsets in HTML errors', () => {
    expect(failure(() => html('ü<p>'))).toBe(
      'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 2',
    );
    expect(failure(() => html('<br>'))).toMatch(/Unsupported start tag "br"/);
  });

  it('passes explicit entities through without parse_mode', () => {
    const entities = [{ type: 'bold', offset: 0, length: 2 }];
    expect(formatText('hi', undefined, entities)).toEqual({ text: 'hi', entities });
  });
});
