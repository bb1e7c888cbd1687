import type {
  AdapterManifest,
  BinaryAttachmentKind,
  OutboundCapabilities,
} from '../../core/adapter/manifest';
import type { ChannelCapabilities } from '../client/channels.api';

/** Largest number HubSpot is safely assumed to take for a byte limit (a Java int; UNCLEAR). */
export const MAX_CAPABILITY_INT = 2_147_483_647;

/** The MIME families each attachment kind can be; a plain `file` can be anything. */
const FAMILIES_OF_KIND: Record<BinaryAttachmentKind, readonly string[]> = {
  image: ['image'],
  sticker: ['image'],
  audio: ['audio'],
  voice: ['audio'],
  video: ['video'],
  file: ['application', 'audio', 'image', 'text', 'video'],
};

/**
 * The channel capabilities (spec 3.3) an adapter's manifest implies. Every value is a plain
 * string, number, boolean or array of strings: HubSpot rejects objects (spec 3.4).
 *
 * Fixed for every gateway channel: the gateway supplies `integrationThreadId`s, agents reply but
 * never start conversations, one recipient per message, no inline images in the editor.
 */
export function channelCapabilitiesOf(manifest: AdapterManifest): ChannelCapabilities {
  const { outbound } = manifest;
  return {
    deliveryIdentifierTypes: [manifest.deliveryIdentifierType],
    threadingModel: 'INTEGRATION_THREAD_ID',
    richText: outbound.formatting === 'html' ? unique(outbound.richText) : [],
    allowInlineImages: false,
    allowOutgoingMessages: true,
    allowConversationStart: false,
    allowMultipleRecipients: false,
    ...attachmentCapabilities(outbound),
  };
}

type AttachmentCapabilities = Required<
  Pick<
    ChannelCapabilities,
    | 'outgoingAttachmentTypes'
    | 'allowedFileAttachmentMimeTypes'
    | 'maxFileAttachmentCount'
    | 'maxFileAttachmentSizeBytes'
    | 'maxTotalFileAttachmentSizeBytes'
  >
>;

/** `FILE` attachments with their limits, or all zero when the adapter sends text only. */
function attachmentCapabilities(outbound: OutboundCapabilities): AttachmentCapabilities {
  const count = wholeNumber(outbound.maxAttachmentCount);
  const size = wholeNumber(outbound.maxAttachmentSizeBytes);
  if (outbound.attachments.length === 0 || count === 0 || size === 0) {
    return {
      outgoingAttachmentTypes: [],
      allowedFileAttachmentMimeTypes: [],
      maxFileAttachmentCount: 0,
      maxFileAttachmentSizeBytes: 0,
      maxTotalFileAttachmentSizeBytes: 0,
    };
  }
  return {
    outgoingAttachmentTypes: ['FILE'],
    allowedFileAttachmentMimeTypes: mimeTypesOf(outbound),
    maxFileAttachmentCount: count,
    maxFileAttachmentSizeBytes: size,
    maxTotalFileAttachmentSizeBytes: Math.min(count * size, MAX_CAPABILITY_INT),
  };
}

/**
 * The declared MIME types, lower-cased. `*` / `*\/*` (or none declared) stands for every type the
 * attachment kinds can have, written as the family wildcards HubSpot is known to accept
 * (`image/*`, `application/*`...): a bare `*\/*` is not a valid value there.
 */
export function mimeTypesOf(
  outbound: Pick<OutboundCapabilities, 'attachments' | 'allowedMimeTypes'>,
): string[] {
  const declared = outbound.allowedMimeTypes.map((type) => type.trim().toLowerCase());
  const anything = declared.length === 0 || declared.some((type) => type === '*' || type === '*/*');
  if (!anything) return unique(declared);
  const families = unique(outbound.attachments.flatMap((kind) => FAMILIES_OF_KIND[kind])).sort();
  return families.map((family) => `${family}/*`);
}

function wholeNumber(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.min(Math.floor(value), MAX_CAPABILITY_INT);
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
