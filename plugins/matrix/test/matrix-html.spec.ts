import { describe, expect, it } from '@jest/globals';
import { htmlToText, stripReplyFallback, toMatrixHtml, toNormalizedHtml } from '../matrix-html';

describe('toMatrixHtml (outbound formatted_body)', () => {
  it('keeps the whitelisted tags and safe links', () => {
    expect(
      toMatrixHtml(
        '<p>Hi <b>bold</b> <i>it</i> <u>u</u> <a href="https://x.org/?a=1&amp;b=2" onclick="evil()">l</a></p><ul><li>one</li></ul><blockquote>q</blockquote>',
      ),
    ).toBe(
      '<p>Hi <strong>bold</strong> <em>it</em> <u>u</u> <a href="https://x.org/?a=1&amp;b=2">l</a></p><ul><li>one</li></ul><blockquote>q</blockquote>',
    );
  });

  it('drops scripts, styles, unsafe links, attributes and unknown tags (keeping their text)', () => {
    expect(
      toMatrixHtml(
        '<script>alert(1)</script><p style="color:red">x <a href="javascript:alert(1)">y</a> <span class="c">z</span><img src="http://e/x.png"></p>',
      ),
    ).toBe('<p>x y z</p>');
  });

  it('escapes text and closes what it opened', () => {
    expect(toMatrixHtml('1 &lt; 2 <b>open')).toBe('1 &lt; 2 <strong>open</strong>');
  });
});

describe('inbound HTML', () => {
  it('normalizes to b, i, u, s, code, pre, a, br, blockquote and drops mx-reply', () => {
    expect(
      toNormalizedHtml(
        '<mx-reply><blockquote>old</blockquote></mx-reply><p><strong>B</strong> <em>I</em> <del>S</del> <code>c</code></p><p>next</p>',
      ),
    ).toBe('<b>B</b> <i>I</i> <s>S</s> <code>c</code><br>next');
  });

  it('gives the visible text', () => {
    expect(htmlToText('<p>a &amp; b</p><p>c<br>d</p>')).toBe('a & b\nc\nd');
    expect(htmlToText('&#x1F600;&#65;&nbsp;&eacute;&hellip; &bogus;')).toBe('😀A\u00a0é… &bogus;');
  });

  it('reads real-world markup as a browser would (broken tags, comments, attributes)', () => {
    expect(
      toNormalizedHtml(
        '<p>a <!-- <b>not</b> --><a title=">" href="https://x.org/?q=1&amp;r=2">link</a>' +
          '<b>never closed<p>next &lt;tag&gt;</p><style>p{}</style><mx-reply>old <b>x</b></mx-reply>',
      ),
    ).toBe(
      'a <a href="https://x.org/?q=1&amp;r=2">link</a><b>never closed<br>next &lt;tag&gt;<br></b>',
    );
    expect(htmlToText('<div>one<div>two</div></div><ul><li>x<li>y</ul>')).toBe('one\ntwo\nx\ny');
  });

  it('strips a legacy reply fallback from body', () => {
    expect(stripReplyFallback('> <@a:b> quoted\n> more\n\nanswer')).toBe('answer');
    expect(stripReplyFallback('plain')).toBe('plain');
  });
});
