import { BINARY_ATTACHMENT_KINDS } from '../../core/adapter';
import {
  contactAttachment,
  fileAttachment,
  fileUsageTypeOf,
  locationAttachment,
} from './hubspot-attachments';

describe('HubSpot attachments', () => {
  it('maps each binary kind to its fileUsageType; video and documents are OTHER', () => {
    const table = Object.fromEntries(BINARY_ATTACHMENT_KINDS.map((k) => [k, fileUsageTypeOf(k)]));
    expect(table).toEqual({
      image: 'IMAGE',
      audio: 'AUDIO',
      voice: 'VOICE_RECORDING',
      video: 'OTHER',
      sticker: 'STICKER',
      file: 'OTHER',
    });
    expect(fileAttachment('77', 'voice')).toEqual({
      type: 'FILE',
      fileId: '77',
      fileUsageType: 'VOICE_RECORDING',
    });
  });

  it('maps a location, leaving absent fields out', () => {
    expect(
      locationAttachment({ kind: 'location', latitude: 52.52, longitude: 13.405, name: 'Mitte' }),
    ).toEqual({ type: 'LOCATION', latitude: 52.52, longitude: 13.405, name: 'Mitte' });
    expect(
      locationAttachment({
        kind: 'location',
        latitude: -1,
        longitude: 2,
        address: 'Main St 1',
        url: 'https://maps.example/1',
      }),
    ).toEqual({
      type: 'LOCATION',
      latitude: -1,
      longitude: 2,
      address: 'Main St 1',
      url: 'https://maps.example/1',
    });
  });

  it('maps a contact card to a contactProfile (spec 6.5)', () => {
    expect(
      contactAttachment({
        kind: 'contact',
        firstName: 'Ada',
        lastName: 'Lovelace',
        phones: [{ phone: '+441234567890', type: 'CELL' }, { phone: '+15550100' }],
        emails: [
          { email: 'ada@example.com', type: 'work' },
          { email: 'a@x.io', type: 'other' },
        ],
        organization: 'Analytical Engines',
      }),
    ).toEqual({
      type: 'CONTACT',
      contactProfile: {
        addresses: [],
        emails: [{ email: 'ada@example.com', type: 'WORK' }, { email: 'a@x.io' }],
        phones: [{ phone: '+441234567890', type: 'CELL' }, { phone: '+15550100' }],
        urls: [],
        name: { firstName: 'Ada', lastName: 'Lovelace' },
        org: { company: 'Analytical Engines' },
      },
    });
    expect(contactAttachment({ kind: 'contact', phones: [], emails: [] })).toEqual({
      type: 'CONTACT',
      contactProfile: { addresses: [], emails: [], phones: [], urls: [] },
    });
  });
});
