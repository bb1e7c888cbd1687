/**
 * Plans the Telegram calls of one agent message: text parts, single media and albums, in order,
 * with the caption on the first media when the text fits in one caption.
 */
import type { OutboundAttachment, OutboundMessage } from '../../src/core/adapter';
import { runsOf, splitTelegramText, type TelegramTextPart } from './telegram-html';
import { TELEGRAM_LIMITS } from './telegram-limits';

export type PlannedStep =
  | { type: 'text'; part: TelegramTextPart }
  | { type: 'media'; attachments: OutboundAttachment[]; caption?: TelegramTextPart };

/** Which attachments may share an album: photos+videos, documents, audio; voice never. */
function albumClass(attachment: OutboundAttachment): string | undefined {
  switch (attachment.kind) {
    case 'image':
      return isPhoto(attachment) ? 'visual' : 'document';
    case 'video':
      return 'visual';
    case 'file':
    case 'sticker':
      return 'document';
    case 'audio':
      return 'audio';
    default:
      return undefined;
  }
}

/** Images Telegram takes as photos; others go as documents. */
export function isPhoto(attachment: OutboundAttachment): boolean {
  return (
    /^image\/(jpeg|png|gif|webp)$/i.test(attachment.mimeType) &&
    (attachment.sizeBytes ?? 0) <= TELEGRAM_LIMITS.maxPhotoUploadBytes
  );
}

function mediaGroups(attachments: OutboundAttachment[]): OutboundAttachment[][] {
  const buckets = new Map<string, OutboundAttachment[]>();
  const groups: OutboundAttachment[][] = [];
  for (const attachment of attachments) {
    const cls = albumClass(attachment);
    if (!cls) {
      groups.push([attachment]);
      continue;
    }
    let bucket = buckets.get(cls);
    if (!bucket || bucket.length === TELEGRAM_LIMITS.maxAlbumSize) {
      bucket = [];
      buckets.set(cls, bucket);
      groups.push(bucket);
    }
    bucket.push(attachment);
  }
  return groups;
}

export function planSend(message: OutboundMessage): PlannedStep[] {
  const parts = splitTelegramText(runsOf(message));
  const groups = mediaGroups(message.attachments);
  const captionFits =
    groups.length > 0 &&
    parts.length === 1 &&
    parts[0].text.length <= TELEGRAM_LIMITS.maxCaptionLength;
  const steps: PlannedStep[] = [];
  if (!captionFits) for (const part of parts) steps.push({ type: 'text', part });
  groups.forEach((attachments, index) => {
    const step: PlannedStep = { type: 'media', attachments };
    if (captionFits && index === 0) step.caption = parts[0];
    steps.push(step);
  });
  return steps;
}
