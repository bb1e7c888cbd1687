import { renderEchoMarkup } from '../echo.formatter';

describe('renderEchoMarkup', () => {
  it('renders bold, italic and links in Echo markup', () => {
    expect(
      renderEchoMarkup(
        '<p>Hi <strong>there</strong>, <em>see</em> <a href="https://x.test/?a=1&amp;b=2">this</a></p>',
      ),
    ).toBe('Hi <b>there</b>, <i>see</i> <a href="https://x.test/?a=1&amp;b=2">this</a>');
  });

  it('turns paragraphs, line breaks and list items into newlines', () => {
    expect(renderEchoMarkup('<p>one</p><p>two<br>three</p><ul><li>a</li><li>b</li></ul>')).toBe(
      'one\n\ntwo\nthree\n\n• a\n• b',
    );
  });

  it('keeps the text of unsupported tags and drops unsafe links', () => {
    expect(renderEchoMarkup('<u>under</u> <a href="javascript:alert(1)">click</a>')).toBe(
      'under click',
    );
  });

  it('escapes text and closes what the input left open', () => {
    expect(renderEchoMarkup('a &lt; b <b>bold')).toBe('a &lt; b <b>bold</b>');
  });

  it('collapses source whitespace like a browser', () => {
    expect(renderEchoMarkup('<p>\n  many   spaces\n</p>')).toBe('many spaces');
  });
});
