import { Inject, Injectable } from '@nestjs/common';
import {
  isRetryable,
  reasonOf,
  type AttachmentStream,
  type InboundAttachment,
  type InboundBinaryAttachment,
} from '../../core/adapter';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import type { JobContext } from '../../core/queue/job-queue';
import { HubSpotApiError, HubSpotInstallBrokenError } from '../client/errors';
import type { MessageAttachment } from '../client/messages.api';
import { ExpiringCache } from './expiring-cache';
import { contactAttachment, fileAttachment, locationAttachment } from './hubspot-attachments';
import type { InboundPortalApi } from './hubspot-portals';
import { InboundClock } from './inbound-clock';

/** Opens an inbound attachment's bytes on the platform (the adapter's `openAttachment`). */
export interface AttachmentSource {
  open(attachment: InboundBinaryAttachment): Promise<AttachmentStream>;
}

export interface PreparedAttachments {
  attachments: MessageAttachment[];
  /** One line per attachment that could not be transferred, for the message text. */
  notes: string[];
}

/**
 * How long an uploaded file id is remembered for its message. A retried job (HubSpot answered
 * 5xx to the publish, say) reuses the files it already uploaded instead of uploading them again.
 * In memory only: after a crash or on another process the retry uploads again, which costs an
 * unused copy in the Files folder, never a wrong message.
 */
const UPLOADED_TTL_MS = 60 * 60_000;

/**
 * Turns a message's attachments into HubSpot attachments (spec 6.5, 8.1): binary ones streamed
 * from the platform into the channel's Files folder and referenced by file id with the matching
 * fileUsageType; locations and contact cards as LOCATION / CONTACT. An attachment that cannot be
 * transferred (too large, refused, or still failing on the job's last attempt) becomes a note in
 * the text, so the message itself is never lost.
 */
@Injectable()
export class AttachmentUploader {
  private readonly uploaded: ExpiringCache<string, string>;

  constructor(
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
    clock: InboundClock,
  ) {
    this.uploaded = new ExpiringCache({ ttlMs: UPLOADED_TTL_MS, maxEntries: 10_000 }, () =>
      clock.now(),
    );
  }

  async prepare(input: {
    portal: InboundPortalApi;
    channelId: string;
    /** The message's idempotency key: names its uploads for retries. */
    messageKey: string;
    attachments: InboundAttachment[];
    source: AttachmentSource;
    job: JobContext;
  }): Promise<PreparedAttachments> {
    const prepared: PreparedAttachments = { attachments: [], notes: [] };
    for (const [index, attachment] of input.attachments.entries()) {
      if (attachment.kind === 'location') {
        prepared.attachments.push(locationAttachment(attachment));
        continue;
      }
      if (attachment.kind === 'contact') {
        prepared.attachments.push(contactAttachment(attachment));
        continue;
      }
      const key = `${input.messageKey}#${index}`;
      try {
        let fileId = this.uploaded.get(key);
        if (fileId === undefined) {
          fileId = await this.upload(input, attachment);
          this.uploaded.set(key, fileId);
        }
        prepared.attachments.push(fileAttachment(fileId, attachment.kind));
      } catch (error) {
        if (!this.degrades(error, input.job)) throw error;
        const note = untransferredNote(attachment, error);
        this.logger.warn(
          { job: input.job.jobId, kind: attachment.kind, reason: reasonOf(error) },
          'attachment not transferred; the message is published with a note',
        );
        prepared.notes.push(note);
      }
    }
    return prepared;
  }

  private async upload(
    input: {
      portal: InboundPortalApi;
      channelId: string;
      source: AttachmentSource;
      job: JobContext;
    },
    attachment: InboundBinaryAttachment,
  ): Promise<string> {
    const opened = await input.source.open(attachment);
    try {
      const file = await input.portal.files.uploadToChannelFolder(input.channelId, {
        data: opened.stream,
        fileName: attachment.fileName ?? opened.fileName,
        contentType: opened.mimeType || attachment.mimeType || 'application/octet-stream',
        ...(opened.sizeBytes !== undefined && { size: opened.sizeBytes }),
        signal: input.job.signal,
      });
      return file.id;
    } finally {
      // Releases the platform download when the upload stopped half-way.
      opened.stream.destroy();
    }
  }

  /** Whether a failure becomes a note (true) or fails the job (false). */
  private degrades(error: unknown, job: JobContext): boolean {
    // Nothing can be published without a working install; a stopping queue runs the job again.
    if (error instanceof HubSpotInstallBrokenError || job.signal.aborted) return false;
    return !isRetryable(error) || job.attempt >= job.maxAttempts;
  }
}

function untransferredNote(attachment: InboundBinaryAttachment, error: unknown): string {
  const name = attachment.fileName ? `'${attachment.fileName}'` : `(${attachment.kind})`;
  const reason =
    error instanceof HubSpotApiError
      ? `HubSpot refused the file: ${error.hubspotMessage}`
      : reasonOf(error);
  return `[attachment ${name} could not be transferred: ${reason}]`;
}
