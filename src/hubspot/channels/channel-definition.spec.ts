import {
  absoluteUrl,
  channelDefinitionOf,
  channelPatchOf,
  underPublicUrl,
} from './channel-definition';
import { testManifest } from './test-manifest';

describe('channelDefinitionOf', () => {
  it('names the channel after the manifest and points HubSpot at PUBLIC_URL', () => {
    const definition = channelDefinitionOf(
      'acme',
      testManifest({ logoUrl: '/static/acme.png' }),
      'https://gw.example.com/',
    );
    expect(definition).toMatchObject({
      name: 'Acme Chat',
      channelDescription: 'Acme customer chat',
      channelLogoUrl: 'https://gw.example.com/static/acme.png',
      webhookUrl: 'https://gw.example.com/hubspot/webhook',
      channelAccountConnectionRedirectUrl: 'https://gw.example.com/connect/acme',
    });
    expect(definition.capabilities.deliveryIdentifierTypes).toEqual(['CHANNEL_SPECIFIC_OPAQUE_ID']);
  });

  it('keeps an absolute logo URL and leaves the logo out when there is none', () => {
    const absolute = 'https://cdn.example.com/acme.svg';
    expect(
      channelDefinitionOf('acme', testManifest({ logoUrl: absolute }), 'https://gw.example.com')
        .channelLogoUrl,
    ).toBe(absolute);
    expect(
      'channelLogoUrl' in channelDefinitionOf('acme', testManifest(), 'https://gw.example.com'),
    ).toBe(false);
  });
});

describe('channelPatchOf', () => {
  const definition = channelDefinitionOf('acme', testManifest(), 'https://gw.example.com');

  it('sends the whole definition, keeping the current logo when the manifest has none', () => {
    expect(channelPatchOf(definition, 'https://old.example.com/logo.png')).toEqual({
      ...definition,
      channelLogoUrl: 'https://old.example.com/logo.png',
    });
    expect(channelPatchOf(definition, undefined).channelLogoUrl).toBe('');
  });
});

describe('URLs under PUBLIC_URL', () => {
  it('keeps a path prefix of PUBLIC_URL and joins with exactly one slash', () => {
    expect(underPublicUrl('https://h.example.com/gw/', '/hubspot/webhook')).toBe(
      'https://h.example.com/gw/hubspot/webhook',
    );
    expect(absoluteUrl('logo.png', 'https://h.example.com/gw')).toBe(
      'https://h.example.com/gw/logo.png',
    );
    expect(absoluteUrl('HTTP://x.example.com/a.png', 'https://h.example.com')).toBe(
      'HTTP://x.example.com/a.png',
    );
  });
});
