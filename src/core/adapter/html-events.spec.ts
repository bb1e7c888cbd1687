import { readHtml } from './html-events';

/** Records the events as a compact trace: "<b>", "text", "</b>". */
function trace(html: string): string[] {
  const events: string[] = [];
  readHtml(html, {
    open: (name, attributes) => {
      const shown = Object.entries(attributes).map(([key, value]) => ` ${key}=${value}`);
      events.push(`<${name}${shown.join('')}>`);
    },
    text: (text) => {
      const last = events.length - 1;
      // Text may arrive in pieces (entities separately); join neighbours for readable traces.
      if (last >= 0 && !events[last].startsWith('<')) events[last] += text;
      else events.push(text);
    },
    close: (name) => events.push(`</${name}>`),
  });
  return events;
}

describe('readHtml', () => {
  it('reports lower-case tags and attributes with decoded values', () => {
    expect(trace('<A HREF="https://x.io/?a=1&amp;b=2" Title=\'t&lt;\'>x</A>')).toEqual([
      '<a href=https://x.io/?a=1&b=2 title=t<>',
      'x',
      '</a>',
    ]);
  });

  it('decodes named, decimal and hex entities in text, and leaves bare ampersands', () => {
    expect(trace('&amp;&lt;&gt;&quot;&#39;&#x41;&nbsp;&euro; & &unknown;')).toEqual([
      '&<>"\'A\u00a0€ & &unknown;',
    ]);
  });

  it('closes void elements at once and reads </br> as <br>', () => {
    expect(trace('a<br>b<img src="x">c</br>d')).toEqual([
      'a',
      '<br>',
      '</br>',
      'b',
      '<img src=x>',
      '</img>',
      'c',
      '<br>',
      '</br>',
      'd',
    ]);
  });

  it('closes what was opened inside an element when it closes, and everything at the end', () => {
    expect(trace('<b>1<i>2</b>3<u>4')).toEqual([
      '<b>',
      '1',
      '<i>',
      '2',
      '</i>',
      '</b>',
      '3',
      '<u>',
      '4',
      '</u>',
    ]);
  });

  it('ignores closing tags of elements that are not open, except </p>', () => {
    expect(trace('a</i></div>b</p>c</img>d')).toEqual(['ab', '<p>', '</p>', 'cd']);
  });

  it('ends an open paragraph at the next block and an open list item at the next item', () => {
    expect(trace('<p>a<p>b<div>c</div><ul><li>d<li>e</ul>')).toEqual([
      '<p>',
      'a',
      '</p>',
      '<p>',
      'b',
      '</p>',
      '<div>',
      'c',
      '</div>',
      '<ul>',
      '<li>',
      'd',
      '</li>',
      '<li>',
      'e',
      '</li>',
      '</ul>',
    ]);
    // Only the current element: a list item inside a nested list stays open.
    expect(trace('<li>a<ul><li>b</ul>')).toEqual([
      '<li>',
      'a',
      '<ul>',
      '<li>',
      'b',
      '</li>',
      '</ul>',
      '</li>',
    ]);
  });

  it('reads a self-closing non-void tag as a start tag, as browsers do', () => {
    expect(trace('<b/>x')).toEqual(['<b>', 'x', '</b>']);
  });

  it('drops comments, CDATA, doctype and processing instructions', () => {
    expect(trace('<!DOCTYPE html><?xml x?>a<!-- <b>no</b> -->b<![CDATA[c]]>d')).toEqual(['abd']);
  });

  it('drops script, style and other invisible elements with everything inside', () => {
    expect(
      trace(
        '<p>a<script>if (a < b) { x("</p>") }</script>b<style>p{}</style><template><b>t</b></template>c</p>',
      ),
    ).toEqual(['<p>', 'abc', '</p>']);
    expect(trace('<head><title>T</title><meta charset="utf-8"></head><body>x</body>')).toEqual([
      '<body>',
      'x',
      '</body>',
    ]);
  });

  it('keeps the first of repeated attributes and treats __proto__ as a plain attribute', () => {
    const seen: Record<string, string>[] = [];
    readHtml('<a href="https://one" href="javascript:two" __proto__="p" checked>x</a>', {
      open: (_name, attributes) => seen.push(attributes),
      text: () => undefined,
      close: () => undefined,
    });
    expect(Object.entries(seen[0])).toEqual([
      ['href', 'https://one'],
      ['__proto__', 'p'],
      ['checked', ''],
    ]);
    expect(Object.getPrototypeOf(seen[0])).toBeNull();
  });

  it('keeps a stray < as text', () => {
    expect(trace('1 < 2 <3 a<b')).toEqual(['1 < 2 <3 a']);
  });
});
