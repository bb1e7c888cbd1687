import type { OutboundCapabilities, RichTextFeature } from '../../core/adapter';
import { renderAgentText } from '.';

type Formatting = Pick<OutboundCapabilities, 'formatting' | 'richText'>;

const PLAIN: Formatting = { formatting: 'plain', richText: [] };
const ALL: Formatting = {
  formatting: 'html',
  richText: ['HYPERLINK', 'BOLD', 'ITALIC', 'UNDERLINE', 'BLOCKQUOTE', 'LISTS', 'TEXT_ALIGNMENT'],
};
const NONE: Formatting = { formatting: 'html', richText: [] };
const only = (...features: RichTextFeature[]): Formatting => ({
  formatting: 'html',
  richText: features,
});

/** Renders rich text; `text` is what HubSpot sends alongside (irrelevant when richText is used). */
const render = (richText: string, formatting: Formatting = ALL) =>
  renderAgentText({ text: 'fallback', richText }, formatting);
const textOf = (richText: string) => render(richText, PLAIN).text;
const htmlOf = (richText: string, formatting: Formatting = ALL) =>
  render(richText, formatting).html;

describe('renderAgentText: plain text', () => {
  it('separates paragraphs by one blank line and turns <br> into a newline', () => {
    expect(textOf('<p>Hi Anna,</p><p>thanks for writing.<br>We will call you.</p><p>Bye</p>')).toBe(
      'Hi Anna,\n\nthanks for writing.\nWe will call you.\n\nBye',
    );
  });

  it('collapses whitespace, leaves no trailing whitespace and no blank lines at the ends', () => {
    expect(textOf('<p>  one \n  two   </p>\n\n<p>three&nbsp; </p><p></p><p><br></p>')).toBe(
      'one two\n\nthree',
    );
  });

  it('keeps at most one blank line for empty paragraphs and repeated <br>', () => {
    expect(textOf('<p>a</p><p><br></p><p>&nbsp;</p><p>b<br><br><br><br>c</p>')).toBe('a\n\nb\n\nc');
  });

  it('treats <div> lines as lines, not paragraphs', () => {
    expect(textOf('<div>first</div><div>second</div><div><br></div><div>third</div>')).toBe(
      'first\nsecond\n\nthird',
    );
  });

  it('drops the tags of bold, italic, underline, strikethrough and nested formatting', () => {
    expect(textOf('<p><strong>Bold <em>both</em></strong> <u>under</u> <s>gone</s></p>')).toBe(
      'Bold both under gone',
    );
  });

  it('writes a link as its address when the label is the address (scheme and slash ignored)', () => {
    expect(textOf('<p>Visit <a href="https://www.example.com/">www.example.com</a> now</p>')).toBe(
      'Visit https://www.example.com/ now',
    );
    expect(textOf('<a href="http://Example.com">HTTP://example.com/</a>')).toBe(
      'http://Example.com',
    );
  });

  it('writes other links as "label (address)"', () => {
    expect(textOf('<p>Read <a href="https://x.io/docs?a=1&amp;b=2">the docs</a>.</p>')).toBe(
      'Read the docs (https://x.io/docs?a=1&b=2).',
    );
  });

  it('writes mailto and tel links as the bare address', () => {
    expect(textOf('<a href="mailto:help@x.io">help@x.io</a>')).toBe('help@x.io');
    expect(textOf('<a href="mailto:help%40x.io?subject=Hi">Write us</a>')).toBe(
      'Write us (help@x.io)',
    );
    expect(textOf('Call <a href="tel:+4930123">+4930123</a>')).toBe('Call +4930123');
  });

  it('keeps the label of a javascript: (or otherwise unsafe) link and drops the address', () => {
    expect(textOf('<a href="javascript:alert(1)">click me</a>')).toBe('click me');
    expect(textOf('<a href=" JaVa\tScRiPt:alert(1)">click</a>')).toBe('click');
    expect(
      textOf('<a href="data:text/html,x">data</a> <a href="#top">top</a> <a>no href</a>'),
    ).toBe('data top no href');
  });

  it('shows other absolute addresses (not links anywhere) as text', () => {
    expect(textOf('<a href="ftp://files.x.io/a.zip">archive</a>')).toBe(
      'archive (ftp://files.x.io/a.zip)',
    );
  });

  it('writes a link without label as its address', () => {
    expect(textOf('see <a href="https://x.io/a"></a>')).toBe('see https://x.io/a');
  });

  it('adds the address after a label that spans lines, even when it says the address', () => {
    expect(textOf('<a href="https://x.io">x<br>.io</a>')).toBe('x\n.io (https://x.io)');
  });

  it('keeps spaces around a link replaced by its address', () => {
    expect(textOf('a<a href="https://x.io"> x.io </a>b')).toBe('a https://x.io b');
  });

  it('writes unordered and ordered lists as "• " and "1. " lines', () => {
    expect(
      textOf('<p>Steps:</p><ol><li>Open</li><li>Click</li></ol><ul><li>x</li><li>y</li></ul>'),
    ).toBe('Steps:\n\n1. Open\n2. Click\n\n• x\n• y');
  });

  it('indents nested lists and honours <ol start>', () => {
    expect(
      textOf(
        '<ol start="3"><li>three<ul><li>sub <b>a</b></li><li>sub b</li></ul></li><li>four</li></ol><p>end</p>',
      ),
    ).toBe('3. three\n  • sub a\n  • sub b\n4. four\n\nend');
  });

  it('handles list items with paragraphs and line breaks inside, and unclosed items', () => {
    expect(textOf('<ul><li><p>first</p><p>more</p></li><li>a<br>b<li>c</ul>')).toBe(
      '• first\n  more\n• a\n  b\n• c',
    );
  });

  it('prefixes quoted lines with "> "', () => {
    expect(
      textOf(
        '<p>You wrote:</p><blockquote><p>Where is it?</p><p>Thanks</p></blockquote><p>Here.</p>',
      ),
    ).toBe('You wrote:\n\n> Where is it?\n>\n> Thanks\n\nHere.');
    expect(textOf('<blockquote>a<blockquote>b</blockquote></blockquote>')).toBe('> a\n>\n> > b');
  });

  it('writes inline images as "[image: alt] (src)" and drops images without src', () => {
    expect(textOf('<p>Look:<img src="https://cdn.x.io/a.png" alt="The  chart">here</p>')).toBe(
      'Look: [image: The chart] (https://cdn.x.io/a.png) here',
    );
    expect(textOf('<p>a <img alt="lost"> b <img src="https://cdn.x.io/b.png"></p>')).toBe(
      'a b [image] (https://cdn.x.io/b.png)',
    );
    expect(textOf('<img src="data:image/png;base64,AAAA" alt="inline">')).toBe('[image: inline]');
  });

  it('keeps the text of text-align spans and divs', () => {
    expect(
      textOf(
        '<p style="text-align: center;">Centered</p><div style="text-align:right"><span style="text-align: right">right</span></div>',
      ),
    ).toBe('Centered\n\nright');
  });

  it('decodes entities', () => {
    expect(
      textOf('<p>Tom &amp; Jerry &lt;3 &quot;x&quot; &#39;y&#x27; caf&eacute; a&nbsp;b &euro;</p>'),
    ).toBe('Tom & Jerry <3 "x" \'y\' café a b €');
  });

  it('drops script, style, comments and invisible elements with their content', () => {
    expect(
      textOf(
        '<p>a<script>alert("x")</script>b</p><style>p { color: red }</style><!-- note --><template>t</template><p>c</p>',
      ),
    ).toBe('ab\n\nc');
  });

  it('keeps preformatted text as it is', () => {
    expect(textOf('<pre>\nline 1\n    indented\n\nafter blank</pre><p>x</p>')).toBe(
      'line 1\n    indented\n\nafter blank\n\nx',
    );
  });

  it('writes table rows as lines with cells separated by " | "', () => {
    expect(
      textOf(
        '<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>9 €</td></tr></table>',
      ),
    ).toBe('Plan | Price\nPro | 9 €');
  });

  it('reads malformed HTML without losing text', () => {
    expect(textOf('<p>one <b>two <i>three</b> four</i> five</p></div></span><p>six<p>seven')).toBe(
      'one two three four five\n\nsix\n\nseven',
    );
    expect(textOf('a < b and c > d <not a tag')).toBe('a < b and c > d');
    expect(textOf('<b>unclosed <a href="https://x.io">link')).toBe('unclosed link (https://x.io)');
  });

  it('removes zero-width spaces the editor leaves behind', () => {
    expect(textOf('<p>\u200bHello\ufeff</p>')).toBe('Hello');
  });

  it('uses the plain text when there is no rich text', () => {
    expect(renderAgentText({ text: 'Just text\nline 2' }, PLAIN)).toEqual({
      text: 'Just text\nline 2',
    });
    expect(renderAgentText({ text: 'a', richText: '   ' }, PLAIN)).toEqual({ text: 'a' });
  });

  it('falls back to the plain text when the rich text yields nothing', () => {
    expect(renderAgentText({ text: 'see image', richText: '<p><img alt="x"></p>' }, ALL)).toEqual({
      text: 'see image',
      html: 'see image',
    });
  });

  it('returns no html for plain formatting', () => {
    expect(render('<p><b>x</b></p>', PLAIN)).toEqual({ text: 'x' });
  });
});

describe('renderAgentText: html subset', () => {
  it('renders paragraphs and line breaks as <br>, never <p>', () => {
    expect(htmlOf('<p>Hi,</p><p>one<br>two</p>')).toBe('Hi,<br><br>one<br>two');
  });

  it('maps strong/em/ins to b/i/u and keeps nesting well formed', () => {
    expect(htmlOf('<p><strong>bold <em>both</em></strong> <ins>u</ins> <u>u2</u></p>')).toBe(
      '<b>bold <i>both</i></b> <u>u</u> <u>u2</u>',
    );
    expect(htmlOf('<b>x<b>y</b></b><strong><b>z</b></strong>')).toBe('<b>xyz</b>');
  });

  it('keeps marks across a line break of a paragraph but closes them at each line end', () => {
    expect(htmlOf('<p><b>one<br>two</b></p>')).toBe('<b>one</b><br><b>two</b>');
  });

  it('drops strikethrough and code tags but keeps their text', () => {
    expect(htmlOf('<s>old</s> <strike>older</strike> <del>gone</del> <code>x()</code>')).toBe(
      'old older gone x()',
    );
  });

  it('keeps safe links as <a href> and escapes the address', () => {
    expect(htmlOf('<a href="https://x.io/?a=1&amp;b=&quot;2&quot;">the <b>docs</b></a>')).toBe(
      '<a href="https://x.io/?a=1&amp;b=&quot;2&quot;">the <b>docs</b></a>',
    );
    expect(htmlOf('<a href="mailto:a@x.io">mail</a> <a href="tel:+1">call</a>')).toBe(
      '<a href="mailto:a@x.io">mail</a> <a href="tel:+1">call</a>',
    );
  });

  it('never emits javascript: or other unsafe links', () => {
    const html = htmlOf(
      '<a href="javascript:alert(1)">x</a><a href="vbscript:y">y</a><a href="ftp://f.io">z</a>',
    );
    expect(html).toBe('xyz (ftp://f.io)');
  });

  it('writes links as "label (address)" without HYPERLINK', () => {
    expect(
      htmlOf('<a href="https://x.io/a">docs</a> <a href="https://x.io">x.io</a>', only('BOLD')),
    ).toBe('docs (https://x.io/a) https://x.io');
  });

  it('keeps a formatted label when links are written as text', () => {
    expect(htmlOf('<a href="https://x.io/a"><b>docs</b></a>', only('BOLD'))).toBe(
      '<b>docs</b> (https://x.io/a)',
    );
  });

  it('renders quotes as one <blockquote> without <br> around it', () => {
    expect(
      htmlOf(
        '<p>You wrote:</p><blockquote><p>Where?</p><p><i>Thanks</i></p></blockquote><p>Here.</p>',
      ),
    ).toBe('You wrote:<blockquote>Where?<br><br><i>Thanks</i></blockquote>Here.');
  });

  it('flattens nested quotes into one <blockquote> with "> " for deeper levels', () => {
    expect(htmlOf('<blockquote>a<blockquote>b</blockquote></blockquote>')).toBe(
      '<blockquote>a<br><br>&gt; b</blockquote>',
    );
  });

  it('writes quotes as "> " lines without BLOCKQUOTE', () => {
    expect(htmlOf('<p>x</p><blockquote>a &amp; b</blockquote>', only('BOLD'))).toBe(
      'x<br><br>&gt; a &amp; b',
    );
  });

  it('renders lists as marker lines, nested ones indented with no-break spaces', () => {
    expect(htmlOf('<ul><li><b>a</b></li><li>b<ol><li>c</li></ol></li></ul>')).toBe(
      '• <b>a</b><br>• b<br>\u00a0\u00a01. c',
    );
    // No list tags exist in the vocabulary, so LISTS changes nothing.
    expect(htmlOf('<ul><li>a</li></ul>', only())).toBe(
      htmlOf('<ul><li>a</li></ul>', only('LISTS')),
    );
  });

  it('renders inline images as links with HYPERLINK and as text without', () => {
    expect(htmlOf('<img src="https://cdn.x.io/a.png" alt="chart">')).toBe(
      '<a href="https://cdn.x.io/a.png">[image: chart]</a>',
    );
    expect(htmlOf('<img src="https://cdn.x.io/a.png" alt="chart">', only('BOLD'))).toBe(
      '[image: chart] (https://cdn.x.io/a.png)',
    );
    expect(htmlOf('<a href="https://x.io"><img src="https://cdn.x.io/a.png" alt="logo"></a>')).toBe(
      '<a href="https://x.io">[image: logo] (https://cdn.x.io/a.png)</a>',
    );
  });

  it('ignores text alignment (no tag for it) but keeps the text', () => {
    expect(
      htmlOf('<p style="text-align:center"><span style="text-align:center">mid</span></p>'),
    ).toBe('mid');
  });

  it('escapes text and never passes through foreign tags or attributes', () => {
    const html = htmlOf(
      '<p onclick="x()" class="c">1 &lt; 2 &amp;&amp; <span style="color:red">3 &gt; 2</span><iframe src="https://evil">f</iframe><img src=x onerror=alert(1)></p>',
    );
    expect(html).toBe('1 &lt; 2 &amp;&amp; 3 &gt; 2 [image]');
  });

  it('drops each mark whose feature is not declared, keeping the text', () => {
    const source = '<b>B</b> <i>I</i> <u>U</u> <a href="https://x.io/p">L</a>';
    expect(htmlOf(source, only())).toBe('B I U L (https://x.io/p)');
    expect(htmlOf(source, only('BOLD'))).toBe('<b>B</b> I U L (https://x.io/p)');
    expect(htmlOf(source, only('ITALIC'))).toBe('B <i>I</i> U L (https://x.io/p)');
    expect(htmlOf(source, only('UNDERLINE'))).toBe('B I <u>U</u> L (https://x.io/p)');
    expect(htmlOf(source, only('HYPERLINK'))).toBe('B I U <a href="https://x.io/p">L</a>');
    expect(htmlOf(source, only('TEXT_ALIGNMENT', 'LISTS', 'BLOCKQUOTE'))).toBe(
      'B I U L (https://x.io/p)',
    );
  });

  it('returns html even when it has no tags, and escapes plain text input', () => {
    expect(render('<p>a &amp; b</p>', NONE)).toEqual({ text: 'a & b', html: 'a &amp; b' });
    expect(renderAgentText({ text: '<b>x</b> & y\nz' }, ALL)).toEqual({
      text: '<b>x</b> & y\nz',
      html: '&lt;b&gt;x&lt;/b&gt; &amp; y<br>z',
    });
  });

  it('keeps the plain text the same whatever the features', () => {
    const source = '<p><b>x</b> <a href="https://x.io/a">y</a></p><blockquote>q</blockquote>';
    expect(render(source, ALL).text).toBe(render(source, PLAIN).text);
    expect(render(source, NONE).text).toBe('x y (https://x.io/a)\n\n> q');
  });
});
