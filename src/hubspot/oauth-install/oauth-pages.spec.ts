import { escapeHtml, renderErrorPage, renderSuccessPage } from './oauth-pages';

describe('install pages', () => {
  it('escapes HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  it('success page: portal id, next step, granted scopes, language and title', () => {
    const html = renderSuccessPage({ portalId: '123456', scopes: ['tickets', 'files'] });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>App installed');
    expect(html).toContain('<h1 id="installed">');
    expect(html).toContain('<strong id="portal-id">123456</strong>');
    expect(html).toContain('Connect a channel');
    expect(html).toContain('<code>tickets</code>');
  });

  it('error page: title, message, HubSpot code and correlation id, retry link', () => {
    const html = renderErrorPage({
      title: 'HubSpot refused the installation',
      message: 'HubSpot said: missing or unknown auth code',
      code: 'BAD_AUTH_CODE',
      correlationId: 'c0ffee',
      retryUrl: '/oauth/install',
    });
    expect(html).toContain('<h1 id="failed">HubSpot refused the installation</h1>');
    expect(html).toContain('<p role="alert">HubSpot said: missing or unknown auth code</p>');
    expect(html).toContain('<code>BAD_AUTH_CODE</code>');
    expect(html).toContain('<code>c0ffee</code>');
    expect(html).toContain('<a href="/oauth/install">');
  });

  it('never lets interpolated text become markup', () => {
    const evil = '<script>alert(1)</script>"onload="x';
    const pages = [
      renderSuccessPage({ portalId: evil, scopes: [evil] }),
      renderErrorPage({
        title: evil,
        message: evil,
        code: evil,
        correlationId: evil,
        retryUrl: evil,
      }),
    ];
    for (const html of pages) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('"onload="');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=&quot;x');
    }
  });

  it('omits empty details', () => {
    const html = renderErrorPage({ title: 'T', message: 'M' });
    expect(html).not.toContain('<dl>');
    expect(html).not.toContain('<a href');
  });
});
