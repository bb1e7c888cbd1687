import { composeMessageText, MAX_QUOTE_LENGTH } from './message-text';

describe('composeMessageText', () => {
  it('passes plain text and HTML through', () => {
    expect(composeMessageText({ text: 'hello', html: '<b>hello</b>' })).toEqual({
      text: 'hello',
      richText: '<b>hello</b>',
    });
    expect(composeMessageText({ text: 'hello' })).toEqual({ text: 'hello' });
  });

  it('sends " " for a message without text (attachments only)', () => {
    expect(composeMessageText({ text: '' })).toEqual({ text: ' ' });
    expect(composeMessageText({ text: '  ', html: '' })).toEqual({ text: ' ' });
  });

  it('marks an edit so agents see it changes an earlier message', () => {
    expect(composeMessageText({ text: 'new words', html: '<i>new</i> words', edit: true })).toEqual(
      {
        text: '✏️ Edited: new words',
        richText: '✏️ Edited: <i>new</i> words',
      },
    );
  });

  it('quotes the original under an edit, escaped in HTML and cut when long', () => {
    expect(
      composeMessageText({
        text: 'new words',
        html: '<i>new</i> words',
        edit: true,
        quote: 'old <words>\nsecond line',
      }),
    ).toEqual({
      text: '✏️ Edited: new words\n> old <words>\n> second line',
      richText:
        '✏️ Edited: <i>new</i> words<blockquote>old &lt;words&gt;<br>second line</blockquote>',
    });
    const long = composeMessageText({ text: 'short', edit: true, quote: 'x'.repeat(400) });
    expect(long.text).toBe(`✏️ Edited: short\n> ${'x'.repeat(MAX_QUOTE_LENGTH)}…`);
    expect(composeMessageText({ text: 'fixed', edit: true, quote: ' ' })).toEqual({
      text: '✏️ Edited: fixed',
    });
    expect(
      composeMessageText({ text: 'fixed', groupSender: 'Ann', edit: true, quote: 'fxed' }),
    ).toEqual({
      text: 'Ann: ✏️ Edited: fixed\n> fxed',
    });
  });

  it('puts the sender in front in group conversations, escaped in HTML', () => {
    expect(
      composeMessageText({ text: 'hi all', html: 'hi <b>all</b>', groupSender: 'Ann <ops>' }),
    ).toEqual({ text: 'Ann <ops>: hi all', richText: '<b>Ann &lt;ops&gt;:</b> hi <b>all</b>' });
    expect(composeMessageText({ text: 'fixed', groupSender: 'Ann', edit: true })).toEqual({
      text: 'Ann: ✏️ Edited: fixed',
    });
  });

  it('appends notes about attachments that could not be transferred', () => {
    const note = "[attachment 'big.pdf' could not be transferred: file too large]";
    expect(composeMessageText({ text: '', notes: [note] })).toEqual({ text: note });
    expect(
      composeMessageText({ text: 'see file', html: 'see <b>file</b>', notes: [note] }),
    ).toEqual({
      text: `see file\n${note}`,
      richText: `see <b>file</b><br>${note}`,
    });
  });
});

describe('composeMessageText: customer HTML', () => {
  it('passes only the safe subset of a customer message on as richText', () => {
    const result = composeMessageText({
      text: 'hi there',
      html: '<b>hi</b> <script>alert(1)</script><a href="javascript:alert(1)">there</a>',
    });
    expect(result.richText).toContain('<b>hi</b>');
    expect(result.richText).not.toContain('script');
    expect(result.richText).not.toContain('javascript:');
    expect(result.richText).toContain('there');
  });
});
