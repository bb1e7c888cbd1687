import type { CredentialField } from '../../core/adapter/manifest';
import { renderConnectForm, renderErrorPage } from './connect-form';
import { contentSecurityPolicy, PAGE_STYLE } from './html';
import { createHash } from 'node:crypto';

const token: CredentialField = {
  key: 'token',
  label: 'Bot <token>',
  help: 'From "BotFather" & friends',
  secret: true,
  required: true,
  pattern: '^[0-9]+:[A-Za-z"]+$',
  placeholder: '123:<abc>',
};
const name: CredentialField = { key: 'name', label: 'Name', secret: false, required: false };

function render(extra: Partial<Parameters<typeof renderConnectForm>[0]> = {}): string {
  return renderConnectForm({
    channelName: 'Tele<gram>',
    description: 'Connect "your" bot',
    fields: [token, name],
    action: '/connect/telegram',
    formToken: 'v1:abc:"><script>',
    ...extra,
  });
}

describe('renderConnectForm', () => {
  it('escapes every dynamic value', () => {
    const html = render({ values: { name: '"><img src=x onerror=alert(1)>' }, error: '<b>no</b>' });
    expect(html).not.toMatch(/<script>|<img|<b>no|<gram>|<token>/);
    expect(html).toContain('Tele&lt;gram&gt;');
    expect(html).toContain('Bot &lt;token&gt;');
    expect(html).toContain('From &quot;BotFather&quot; &amp; friends');
    expect(html).toContain('value="v1:abc:&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('pattern="^[0-9]+:[A-Za-z&quot;]+$"');
    expect(html).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).toContain('&lt;b&gt;no&lt;/b&gt;');
  });

  it('binds labels, help and errors to inputs and marks required fields', () => {
    const html = render({ fieldErrors: { token: 'Enter it.' } });
    expect(html).toContain('<label for="field-token">');
    expect(html).toMatch(/<input id="field-token" name="token" type="password"/);
    expect(html).toContain('aria-describedby="field-token-help field-token-error"');
    expect(html).toContain('<p class="help" id="field-token-help">');
    expect(html).toContain('<p class="field-error" id="field-token-error">Enter it.</p>');
    expect(html).toMatch(/id="field-token"[^>]* required aria-required="true"/);
    expect(html).toMatch(/id="field-token"[^>]* aria-invalid="true"/);
    expect(html).toMatch(/id="field-name"[^>]*type="text"/);
    expect(html).not.toMatch(/id="field-name"[^>]* required/);
    expect(html).toContain('(optional)');
  });

  it('shows an error summary with role=alert that takes focus without JavaScript', () => {
    const html = render({ error: 'Token revoked' });
    expect(html).toMatch(
      /<div class="errors" id="error-summary" role="alert" tabindex="-1" autofocus/,
    );
    expect(html).toContain('<li>Token revoked</li>');
    expect(html).toContain('<title>Error: Connect Tele&lt;gram&gt; to HubSpot</title>');
    expect(render()).not.toContain('role="alert"');
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('never echoes secret values and turns autocomplete off for them', () => {
    const html = render({ values: { token: '123:SECRETVALUE', name: 'Shop' } });
    expect(html).not.toContain('SECRETVALUE');
    expect(html).toMatch(/id="field-token"[^>]* autocomplete="off"/);
    expect(html).toContain('value="Shop"');
  });

  it('renders an error page', () => {
    const html = renderErrorPage('Bad <link>', 'lacks "x"');
    expect(html).toContain('<h1>Bad &lt;link&gt;</h1>');
    expect(html).toContain('role="alert"');
    expect(html).toContain('lacks &quot;x&quot;');
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only the inline style by hash and forms to self and the redirect origin', () => {
    const csp = contentSecurityPolicy(['https://app.hubspot.com']);
    const hash = createHash('sha256').update(PAGE_STYLE).digest('base64');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(csp).toContain("form-action 'self' https://app.hubspot.com");
    expect(csp).not.toContain('script-src');
  });
});
