/**
 * The HubSpot side of customer attachments (spec 6.5): which fileUsageType a binary kind gets,
 * and location / contact cards as LOCATION / CONTACT attachments. Pure mappings.
 */
import type { BinaryAttachmentKind, ContactCard, LocationAttachment } from '../../core/adapter';
import type { MessageAttachment } from '../client/messages.api';

export type FileAttachment = Extract<MessageAttachment, { type: 'FILE' }>;
export type FileUsageType = NonNullable<FileAttachment['fileUsageType']>;
type ContactAttachment = Extract<MessageAttachment, { type: 'CONTACT' }>;
type ContactProfile = ContactAttachment['contactProfile'];
type LocationHubSpotAttachment = Extract<MessageAttachment, { type: 'LOCATION' }>;

/** HubSpot has no video usage type: videos and documents are OTHER. */
const FILE_USAGE: Record<BinaryAttachmentKind, FileUsageType> = {
  image: 'IMAGE',
  audio: 'AUDIO',
  voice: 'VOICE_RECORDING',
  sticker: 'STICKER',
  video: 'OTHER',
  file: 'OTHER',
};

export function fileUsageTypeOf(kind: BinaryAttachmentKind): FileUsageType {
  return FILE_USAGE[kind];
}

export function fileAttachment(fileId: string, kind: BinaryAttachmentKind): FileAttachment {
  return { type: 'FILE', fileId, fileUsageType: fileUsageTypeOf(kind) };
}

export function locationAttachment(location: LocationAttachment): LocationHubSpotAttachment {
  return {
    type: 'LOCATION',
    latitude: location.latitude,
    longitude: location.longitude,
    ...(location.name !== undefined && { name: location.name }),
    ...(location.address !== undefined && { address: location.address }),
    ...(location.url !== undefined && { url: location.url }),
  };
}

type EmailType = NonNullable<ContactProfile['emails'][number]['type']>;
const EMAIL_TYPES: readonly string[] = ['HOME', 'WORK'] satisfies EmailType[];

export function contactAttachment(card: ContactCard): ContactAttachment {
  const profile: ContactProfile = {
    addresses: [],
    emails: card.emails.map((entry) => {
      // Platforms name email kinds freely; HubSpot knows HOME and WORK only.
      const type = entry.type?.toUpperCase();
      return {
        email: entry.email,
        ...(type !== undefined && EMAIL_TYPES.includes(type) && { type: type as EmailType }),
      };
    }),
    phones: card.phones.map((entry) => ({
      phone: entry.phone,
      ...(entry.type !== undefined && { type: entry.type }),
    })),
    urls: [],
  };
  if (card.firstName !== undefined || card.lastName !== undefined) {
    profile.name = {
      ...(card.firstName !== undefined && { firstName: card.firstName }),
      ...(card.lastName !== undefined && { lastName: card.lastName }),
    };
  }
  if (card.organization !== undefined) profile.org = { company: card.organization };
  return { type: 'CONTACT', contactProfile: profile };
}
