import type { AdapterManifest } from '../../src/core/adapter';
import { credentialsProblems, manifestProblems } from './manifest-problems';

const valid = (): AdapterManifest => ({
  id: 'demo',
  displayName: 'Demo',
  description: 'A demo channel',
  version: '0.1.0',
  deliveryIdentifierType: 'CHANNEL_SPECIFIC_OPAQUE_ID',
  credentials: [{ key: 'token', label: 'Token', secret: true, required: true, pattern: '^t_' }],
  inbound: { attachments: ['image', 'location'], edits: false, replies: true },
  outbound: {
    formatting: 'plain',
    richText: [],
    attachments: ['image'],
    allowedMimeTypes: ['image/*'],
    maxAttachmentCount: 1,
    maxAttachmentSizeBytes: 1000,
    maxTextLength: 100,
    replies: false,
    readReceipts: false,
    asyncDeliveryStatus: false,
  },
});

describe(manifestProblems.name, () => {
  it('finds nothing wrong with a sane manifest', () => {
    expect(manifestProblems(valid())).toEqual([]);
  });

  it('reports a bad id, version and logo', () => {
    const manifest = { ...valid(), id: 'Demo_Plugin', version: 'v1', logoUrl: 'logo.png' };
    expect(manifestProblems(manifest)).toEqual([
      expect.stringContaining('id "Demo_Plugin"'),
      expect.stringContaining('version "v1"'),
      expect.stringContaining('logoUrl'),
    ]);
  });

  it('reports inconsistent formatting and limits', () => {
    const manifest = valid();
    manifest.outbound = {
      ...manifest.outbound,
      formatting: 'html',
      richText: [],
      maxTextLength: 0,
      allowedMimeTypes: [],
    };
    expect(manifestProblems(manifest)).toEqual([
      'outbound.formatting "html" needs at least one richText feature',
      'outbound.maxTextLength must be > 0',
      'allowedMimeTypes is empty',
    ]);
  });

  it('reports a broken credential schema', () => {
    const manifest = valid();
    manifest.credentials = [
      { key: 'token', label: '', secret: true, required: false, pattern: '(' },
      { key: 'token', label: 'Again', secret: false, required: false },
    ];
    expect(manifestProblems(manifest)).toEqual([
      'credential key "token" is declared twice',
      'credential "token": label is empty',
      'credential "token": pattern is not a valid regular expression',
      'no credential field is required',
    ]);
  });

  it('reports unknown and non-binary attachment kinds', () => {
    const manifest = valid();
    manifest.outbound.attachments = ['location' as 'image'];
    expect(manifestProblems(manifest)).toEqual([
      'outbound attachment kind "location" is not a binary kind',
    ]);
  });
});

describe(credentialsProblems.name, () => {
  it('checks required fields, patterns and undeclared keys', () => {
    expect(credentialsProblems(valid(), { token: 't_1' })).toEqual([]);
    expect(credentialsProblems(valid(), { token: 'x', other: '1' })).toEqual([
      'credential "token" does not match its declared pattern',
      'credential "other" is not declared',
    ]);
    expect(credentialsProblems(valid(), {})).toEqual(['required credential "token" is missing']);
  });
});
