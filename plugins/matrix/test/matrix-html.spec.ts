import { describe, expect, it } from '@jest/globals';
import {
  decodeEntities,
  htmlToText,
  stripReplyFallback,
  toMatrixHtml,
  toNormalizedHtml,
} from '../matrix-html';

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
    expect(decodeEntities('&#x1F600;&#65;&nbsp;&bogus;')).toBe('😀A\u00a0&bogus;');
  });

  it('strips a legacy reply fallback from body', () => {
    expect(stripReplyFallback('> <@a:b> quoted\n> more\n\nanswer')).toBe('answer');
    expect(stripReplyFallback('plain')).toBe('plain');
  });
});
