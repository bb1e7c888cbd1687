import type { Readable } from 'node:stream';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type OutboundAttachment, PermanentError, reasonOf } from '../../core/adapter';
import { HubSpotApiError } from '../client/errors';
import type { FilesApi } from '../client/files.api';
import type { HubSpotClient } from '../client/hubspot-client';
import type { AgentFile } from './agent-message';
import { attachmentKindOf, mimeTypeOf } from './attachment-policy';
import { resolveHubSpotClient } from './resolve-hubspot-client';

/**
 * Signed URLs are asked for two hours: the contract promises adapters an hour of `publicUrl`
 * (platforms that fetch media themselves, like Twilio MMS, may queue the fetch).
 */
export const SIGNED_URL_SECONDS = 2 * 60 * 60;
const PUBLIC_URL_MIN_MS = 60 * 60 * 1000;
/** A signed URL closer than this to its expiry is renewed before a download. */
const RENEW_BEFORE_MS = 60 * 1000;

export interface AttachmentOptions {
  /** Downloads larger than this fail (PermanentError) instead of filling memory or disk. */
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * Turns an agent's FILE attachments into OutboundAttachments: metadata (name, type, size) and a
 * signed URL from HubSpot's Files API before sending, so capabilities are checked without a
 * download, and bytes streamed from HubSpot only when the adapter opens them.
 */
@Injectable()
export class AgentAttachmentSource implements OnModuleInit {
  private client?: HubSpotClient;

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    this.client = resolveHubSpotClient(this.moduleRef);
  }

  async prepare(
    portalId: string,
    files: readonly AgentFile[],
    options: AttachmentOptions,
    now: () => number = Date.now,
  ): Promise<OutboundAttachment[]> {
    if (!this.client) throw new Error('AgentAttachmentSource used before module init');
    const api = this.client.forPortal(portalId).files;
    const prepared: OutboundAttachment[] = [];
    for (const file of files) prepared.push(await this.prepareOne(api, file, options, now));
    return prepared;
  }

  private async prepareOne(
    api: FilesApi,
    file: AgentFile,
    options: AttachmentOptions,
    now: () => number,
  ): Promise<OutboundAttachment> {
    const download = { maxBytes: options.maxBytes, signal: options.signal };
    if (file.fileId === undefined) {
      // Not seen from HubSpot (fileId is required), but integrators handle a bare `url`.
      const url = file.url;
      if (url === undefined)
        throw new PermanentError('an attachment has neither a file id nor a URL');
      const fileName = file.name ?? lastSegment(url) ?? 'file';
      const mimeType = mimeTypeOf(fileName);
      return {
        kind: attachmentKindOf(file.usage, mimeType),
        fileName,
        mimeType,
        open: async (): Promise<Readable> => (await api.downloadUrl(url, download)).stream,
      };
    }
    const fileId = file.fileId;
    const signed = await api
      .signedUrl(fileId, { expirationSeconds: SIGNED_URL_SECONDS })
      .catch((error: unknown) => {
        if (!(error instanceof PermanentError)) throw error;
        const why = error instanceof HubSpotApiError ? error.hubspotMessage : reasonOf(error);
        throw new PermanentError(
          `the attachment ${file.name ?? fileId} could not be fetched from HubSpot: ${why}`,
          { cause: error },
        );
      });
    const fileName = file.name ?? withExtension(signed.name, signed.extension);
    const mimeType = mimeTypeOf(
      hasExtension(fileName) ? fileName : withExtension(fileName, signed.extension),
    );
    const parsedExpiry = Date.parse(signed.expiresAt);
    const expiresAt = Number.isFinite(parsedExpiry)
      ? parsedExpiry
      : now() + SIGNED_URL_SECONDS * 1000;
    return {
      kind: attachmentKindOf(file.usage, mimeType),
      fileName,
      mimeType,
      ...(Number.isFinite(signed.size) && { sizeBytes: signed.size }),
      ...(expiresAt - now() >= PUBLIC_URL_MIN_MS && { publicUrl: signed.url }),
      open: async (): Promise<Readable> => {
        // A retry inside the adapter may come late: renew an expiring URL rather than fail.
        const downloaded =
          expiresAt - now() > RENEW_BEFORE_MS
            ? await api.downloadUrl(signed.url, { ...download, signed: true })
            : await api.downloadById(fileId, download);
        return downloaded.stream;
      },
    };
  }
}

function withExtension(name: string, extension: string | undefined): string {
  if (!extension || name.toLowerCase().endsWith(`.${extension.toLowerCase()}`)) return name;
  return `${name}.${extension}`;
}

function hasExtension(name: string): boolean {
  return /\.[A-Za-z0-9]{1,10}$/.test(name);
}

function lastSegment(url: string): string | undefined {
  try {
    const segment = new URL(url).pathname.split('/').filter(Boolean).at(-1);
    return segment ? decodeURIComponent(segment) : undefined;
  } catch {
    return undefined;
  }
}
