import { classifyHref, displayHref, labelIsAddress } from './link-policy';

describe('classifyHref', () => {
  it.each(['https://x.io/a', 'HTTP://X.IO', 'mailto:a@x.io', 'tel:+4930123', ' https://x.io '])(
    'keeps %j as a link',
    (href) => {
      expect(classifyHref(href)).toEqual({ kind: 'link', href: href.trim() });
    },
  );

  it.each(['ftp://files.x.io/a', 'sms:+1', 'skype:someone'])('shows %j as text', (href) => {
    expect(classifyHref(href)).toEqual({ kind: 'text', href });
  });

  it.each([
    'javascript:alert(1)',
    ' JAVASCRIPT:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:x',
    '\u0001javascript:x',
    'vbscript:x',
    'data:text/html;base64,AAAA',
    'file:///etc/passwd',
    'blob:https://x.io/1',
    'ht tps://x.io',
    '/relative/path',
    '#anchor',
    '//x.io/protocol-relative',
    '',
    undefined,
  ])('drops %j', (href) => {
    expect(classifyHref(href)).toEqual({ kind: 'drop' });
  });
});

describe('displayHref', () => {
  it('shows mailto and tel links as the address or number, decoded, without a query', () => {
    expect(displayHref('mailto:help%40x.io?subject=Hi')).toBe('help@x.io');
    expect(displayHref('MAILTO:a@x.io')).toBe('a@x.io');
    expect(displayHref('tel:+49%2030%20123')).toBe('+49 30 123');
    expect(displayHref('mailto:%E0%A4%A')).toBe('%E0%A4%A');
  });

  it('shows other addresses unchanged', () => {
    expect(displayHref('https://x.io/a?b=1')).toBe('https://x.io/a?b=1');
  });
});

describe('labelIsAddress', () => {
  it.each([
    ['https://x.io', 'https://x.io'],
    ['x.io', 'https://x.io/'],
    ['X.IO/', 'http://x.io'],
    ['http://x.io/docs', 'https://x.io/docs/'],
    ['a@x.io', 'mailto:a@x.io'],
    ['+4930123', 'tel:+4930123'],
  ])('%j says %j', (label, href) => {
    expect(labelIsAddress(label, href)).toBe(true);
  });

  it.each([
    ['the docs', 'https://x.io/docs'],
    ['x.io', 'https://x.io/docs'],
    ['', 'https://x.io'],
    ['www.x.io', 'https://x.io'],
  ])('%j does not say %j', (label, href) => {
    expect(labelIsAddress(label, href)).toBe(false);
  });
});
