import { sanitizeCustomerHtml } from '.';

describe('sanitizeCustomerHtml', () => {
  it('keeps the tags adapters emit', () => {
    const html =
      '<b>b</b> <i>i</i> <u>u</u> <s>s</s> <code>c</code> <pre>p  re</pre> <a href="https://x.io">a</a><br><blockquote>q</blockquote><p>para</p>';
    expect(sanitizeCustomerHtml(html)).toBe(html);
  });

  it('writes strong, em, ins, strike and del as their short forms', () => {
    expect(
      sanitizeCustomerHtml(
        '<strong>1</strong><em>2</em><ins>3</ins><strike>4</strike><del>5</del>',
      ),
    ).toBe('<b>1</b><i>2</i><u>3</u><s>4</s><s>5</s>');
  });

  it('keeps http, https, mailto and tel links and escapes their address', () => {
    expect(
      sanitizeCustomerHtml(
        '<a href="mailto:a@x.io">m</a><a href="tel:+1">t</a><a href="http://x.io/?a=1&amp;b=&quot;q&quot;">h</a>',
      ),
    ).toBe(
      '<a href="mailto:a@x.io">m</a><a href="tel:+1">t</a><a href="http://x.io/?a=1&amp;b=&quot;q&quot;">h</a>',
    );
  });

  it('drops unsafe links but keeps their text', () => {
    expect(
      sanitizeCustomerHtml(
        '<a href="javascript:alert(1)">j</a> <a href="java&#x09;script:x">k</a> <a href="data:text/html,x">d</a> <a href="/rel">r</a> <a>n</a>',
      ),
    ).toBe('j k d r n');
  });

  it('drops attributes other than href', () => {
    expect(
      sanitizeCustomerHtml(
        '<b onclick="x()" style="color:red">x</b><a href="https://x.io" target="_blank" onmouseover="y">y</a>',
      ),
    ).toBe('<b>x</b><a href="https://x.io">y</a>');
  });

  it('drops unknown tags and keeps their text', () => {
    expect(
      sanitizeCustomerHtml(
        '<span class="x">one</span> <font color="red">two</font> <img src="x" alt="img">three',
      ),
    ).toBe('one two three');
  });

  it('puts a <br> where a dropped block started a new line, without doubling', () => {
    expect(
      sanitizeCustomerHtml('<div>one</div>\n<div>two</div><ul><li>three</li><li>four</li></ul>'),
    ).toBe('one\n<br>two<br>three<br>four');
    expect(sanitizeCustomerHtml('one<br><div>two</div><p>three</p><div>four</div>')).toBe(
      'one<br>two<p>three</p>four',
    );
  });

  it('drops script, style and comments with their content', () => {
    expect(sanitizeCustomerHtml('a<script>alert(1)</script><style>b{}</style><!-- c -->d')).toBe(
      'ad',
    );
  });

  it('escapes text, also text that looks like markup after decoding', () => {
    expect(sanitizeCustomerHtml('1 &lt; 2 &amp;&amp; &lt;script&gt;x&lt;/script&gt; a < b')).toBe(
      '1 &lt; 2 &amp;&amp; &lt;script&gt;x&lt;/script&gt; a &lt; b',
    );
  });

  it('nests its output properly whatever the input', () => {
    expect(sanitizeCustomerHtml('<b>1<i>2</b>3</i>')).toBe('<b>1<i>2</i></b>3');
    expect(sanitizeCustomerHtml('<b><span>x<i>y')).toBe('<b>x<i>y</i></b>');
    expect(sanitizeCustomerHtml('<a href="https://a.io">a<a href="https://b.io">b</a>c</a>')).toBe(
      '<a href="https://a.io">abc</a>',
    );
  });

  it('returns an empty string for empty input', () => {
    expect(sanitizeCustomerHtml('')).toBe('');
  });
});
