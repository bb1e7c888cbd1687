import { visibleText } from '../echo-markup';
import { splitMarkup, splitText } from '../echo-text-splitter';

const length = (text: string) => Array.from(text).length;

describe('splitText', () => {
  it('keeps short text in one part', () => {
    expect(splitText('hello world', 20)).toEqual(['hello world']);
  });

  it('splits at whitespace and keeps every word in order', () => {
    const text = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
    const parts = splitText(text, 40);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(length(part)).toBeLessThanOrEqual(40);
    expect(parts.join(' ')).toBe(text);
  });

  it('cuts a word longer than the limit and never splits a surrogate pair', () => {
    const parts = splitText('😀'.repeat(25), 10);
    expect(parts).toEqual(['😀'.repeat(10), '😀'.repeat(10), '😀'.repeat(5)]);
  });

  it('keeps characters that look like markup', () => {
    expect(splitText('a <b> & c', 100)).toEqual(['a <b> & c']);
  });
});

describe('splitMarkup', () => {
  it('closes and reopens formatting at the boundary', () => {
    const parts = splitMarkup('<b>one two three four</b>', 9);
    expect(parts).toEqual(['<b>one two</b>', '<b>three</b>', '<b>four</b>']);
  });

  it('counts only visible text against the limit', () => {
    const markup = '<a href="https://example.com/a/very/long/url">link</a> tail';
    expect(splitMarkup(markup, 9)).toEqual([markup]);
  });

  it('keeps the visible text complete', () => {
    const markup = 'start <i>' + 'lorem ipsum '.repeat(30) + '</i> &amp; end';
    const parts = splitMarkup(markup, 50);
    for (const part of parts) expect(length(visibleText(part))).toBeLessThanOrEqual(50);
    expect(parts.map(visibleText).join(' ').split(/\s+/)).toEqual(visibleText(markup).split(/\s+/));
  });
});
