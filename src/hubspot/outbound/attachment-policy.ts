import { lookup } from 'mime-types';
import {
  type BinaryAttachmentKind,
  type OutboundCapabilities,
  PermanentError,
} from '../../core/adapter';
import type { FileUsageType } from './agent-message';

/** Where an attachment's kind, type and size are decided before any byte is downloaded. */
export interface AttachmentFacts {
  kind: BinaryAttachmentKind;
  fileName: string;
  mimeType: string;
  sizeBytes?: number;
}

const KIND_OF_USAGE: Partial<Record<FileUsageType, BinaryAttachmentKind>> = {
  IMAGE: 'image',
  AUDIO: 'audio',
  VOICE_RECORDING: 'voice',
  STICKER: 'sticker',
};

/**
 * HubSpot's `fileUsageType` decides; OTHER is a video when the type says so, else a document.
 * (An OTHER image stays a file: HubSpot marks the images it means to show as IMAGE.)
 */
export function attachmentKindOf(usage: FileUsageType, mimeType: string): BinaryAttachmentKind {
  const kind = KIND_OF_USAGE[usage];
  if (kind) return kind;
  return mimeType.toLowerCase().startsWith('video/') ? 'video' : 'file';
}

/** HubSpot's file API gives an extension, not a MIME type: derive it from the file name. */
export function mimeTypeOf(fileName: string): string {
  return lookup(fileName) || 'application/octet-stream';
}

/** `image/*`-style wildcards and `*\/*` allowed. */
export function mimeTypeAllowed(mimeType: string, allowed: readonly string[]): boolean {
  const type = mimeType.toLowerCase();
  return allowed.some((pattern) => {
    const wanted = pattern.toLowerCase();
    if (wanted === '*/*' || wanted === '*') return true;
    if (wanted.endsWith('/*')) return type.startsWith(wanted.slice(0, -1));
    return type === wanted;
  });
}

/** The part of the check that needs no file metadata: run it before asking HubSpot. */
export function checkAttachmentCount(
  count: number,
  outbound: OutboundCapabilities,
  platform: string,
): void {
  if (count === 0) return;
  if (outbound.attachments.length === 0) {
    throw new PermanentError(`${platform} cannot send attachments, only text`);
  }
  if (count > outbound.maxAttachmentCount) {
    throw new PermanentError(
      `${platform} accepts at most ${outbound.maxAttachmentCount} attachments per message (this one has ${count})`,
    );
  }
}

/**
 * Refuses, with a reason an agent understands, attachments the adapter declared it cannot send.
 * HubSpot normally enforces the channel's capabilities already; this keeps a mismatch (an old
 * channel registration, a reply through the API) from reaching the adapter.
 */
export function checkAttachments(
  attachments: readonly AttachmentFacts[],
  outbound: OutboundCapabilities,
  platform: string,
): void {
  checkAttachmentCount(attachments.length, outbound, platform);
  for (const attachment of attachments) {
    if (!outbound.attachments.includes(attachment.kind)) {
      throw new PermanentError(
        `${platform} cannot send ${attachment.kind} attachments (${attachment.fileName})`,
      );
    }
    if (!mimeTypeAllowed(attachment.mimeType, outbound.allowedMimeTypes)) {
      throw new PermanentError(
        `${platform} does not accept files of type ${attachment.mimeType} (${attachment.fileName})`,
      );
    }
    if (
      attachment.sizeBytes !== undefined &&
      attachment.sizeBytes > outbound.maxAttachmentSizeBytes
    ) {
      throw new PermanentError(
        `${attachment.fileName} is ${formatBytes(attachment.sizeBytes)}; ${platform} accepts at most ${formatBytes(outbound.maxAttachmentSizeBytes)} per file`,
      );
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KB`;
  return `${trim(bytes / (1024 * 1024))} MB`;
}

function trim(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}
