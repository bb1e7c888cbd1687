import {
  buildAuthorizeUrl,
  callbackUrlOf,
  resolveOAuthInstallOptions,
} from './oauth-install.options';

describe('install options and authorize URL', () => {
  it('defaults to HubSpot and the documented scopes', () => {
    const options = resolveOAuthInstallOptions();
    expect(options.authorizeUrl).toBe('https://app.hubspot.com/oauth/authorize');
    expect(options.scopes).toContain('conversations.custom_channels.write');
    expect(options.optionalScopes).toEqual([
      'crm.objects.contacts.read',
      'crm.objects.contacts.write',
    ]);
  });

  it('builds the callback URL from PUBLIC_URL, with or without a trailing slash', () => {
    expect(callbackUrlOf('https://gw.example.com/')).toBe('https://gw.example.com/oauth/callback');
    expect(callbackUrlOf('https://gw.example.com/base')).toBe(
      'https://gw.example.com/base/oauth/callback',
    );
  });

  it('encodes scopes space-separated as %20 and every parameter safely', () => {
    const url = buildAuthorizeUrl({
      authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
      clientId: 'id+1',
      redirectUri: 'https://gw.example.com/oauth/callback',
      scopes: ['a.read', 'b.write'],
      optionalScopes: [],
      state: 'v1.x.y',
    });
    expect(url).toBe(
      'https://app.hubspot.com/oauth/authorize?client_id=id%2B1' +
        '&redirect_uri=https%3A%2F%2Fgw.example.com%2Foauth%2Fcallback' +
        '&scope=a.read%20b.write&state=v1.x.y',
    );
  });
});
