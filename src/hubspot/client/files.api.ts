import type { Readable } from 'node:stream';
import type { DownloadedFile, DownloadOptions, FileDownloader } from './file-download';
import type { components } from './generated/files-v3';
import type { HubSpotHttp } from './hubspot-http';
import { multipartBody, newBoundary } from './multipart-stream';
import { expandPath } from './path';

type Schemas = components['schemas'];
export type HubSpotFile = Schemas['File'];
export type SignedUrl = Schemas['SignedUrl'];
type ImportInput = Schemas['ImportFromUrlInput'];

/** The `options` part of an upload (a JSON string in the multipart body). */
export interface FileUploadOptions {
  access: HubSpotFile['access'];
  ttl?: string;
  overwrite?: boolean;
  duplicateValidationStrategy?: ImportInput['duplicateValidationStrategy'];
  duplicateValidationScope?: ImportInput['duplicateValidationScope'];
}

export interface FileUpload {
  /** The bytes: a stream (read once) or a function opening a fresh stream (retry after 401). */
  data: Readable | AsyncIterable<Uint8Array> | (() => Readable | AsyncIterable<Uint8Array>);
  fileName: string;
  contentType: string;
  /** Size in bytes when known (sent as Content-Length). */
  size?: number;
  /** Folder path; defaults to the gateway's folder (see uploadToChannelFolder). */
  folderPath?: string;
  folderId?: string;
  options?: Partial<FileUploadOptions>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface FilesApiOptions {
  /** Root folder of the gateway's uploads; one sub-folder per channel. */
  folderRoot: string;
  /** Timeout of an upload (large files take a while). */
  uploadTimeoutMs: number;
}

export const DEFAULT_FILES_OPTIONS: FilesApiOptions = {
  folderRoot: '/hubspot-messenger-gateway',
  uploadTimeoutMs: 10 * 60_000,
};

/** Files v3 (spec 8), with the portal's OAuth token. */
export class FilesApi {
  constructor(
    private readonly http: HubSpotHttp,
    private readonly portalId: string,
    private readonly downloader: FileDownloader,
    private readonly options: FilesApiOptions = DEFAULT_FILES_OPTIONS,
  ) {}

  /** The folder of a channel's attachments: `<folderRoot>/channel-<channelId>`. */
  channelFolder(channelId: string): string {
    return `${this.options.folderRoot.replace(/\/+$/, '')}/channel-${channelId}`;
  }

  /** Uploads a customer's attachment, PRIVATE, into the channel's folder. */
  uploadToChannelFolder(channelId: string, upload: FileUpload): Promise<HubSpotFile> {
    return this.upload({
      ...upload,
      folderPath: upload.folderPath ?? this.channelFolder(channelId),
    });
  }

  /**
   * Streams a file to `POST /files/v3/files` as multipart/form-data without holding it in
   * memory. Access defaults to PRIVATE (reachable only through signed URLs).
   */
  upload(upload: FileUpload): Promise<HubSpotFile> {
    const options: FileUploadOptions = { access: 'PRIVATE', ...upload.options };
    const fields = {
      fileName: upload.fileName,
      ...(upload.folderId
        ? { folderId: upload.folderId }
        : { folderPath: upload.folderPath ?? this.options.folderRoot }),
      options: JSON.stringify(options),
    };
    const boundary = newBoundary();
    const build = (data: AsyncIterable<Uint8Array | string>) =>
      multipartBody(
        fields,
        {
          field: 'file',
          fileName: upload.fileName,
          contentType: upload.contentType,
          data,
          size: upload.size,
        },
        boundary,
      );
    const shape = build((async function* () {})());
    const source = upload.data;
    return this.http.json({
      method: 'POST',
      path: '/files/v3/files',
      auth: { type: 'portal', portalId: this.portalId },
      stream: {
        contentType: shape.contentType,
        contentLength: shape.contentLength,
        open: () => build(typeof source === 'function' ? source() : source).chunks(),
        replayable: typeof source === 'function',
      },
      timeoutMs: upload.timeoutMs ?? this.options.uploadTimeoutMs,
      signal: upload.signal,
    });
  }

  get(fileId: string): Promise<HubSpotFile> {
    return this.http.json({
      method: 'GET',
      path: expandPath('/files/v3/files/{fileId}', { fileId }),
      auth: { type: 'portal', portalId: this.portalId },
    });
  }

  signedUrl(
    fileId: string,
    query: { expirationSeconds?: number; size?: 'icon' | 'medium' | 'preview' | 'thumb' } = {},
  ): Promise<SignedUrl> {
    return this.http.json({
      method: 'GET',
      path: expandPath('/files/v3/files/{fileId}/signed-url', { fileId }),
      query,
      auth: { type: 'portal', portalId: this.portalId },
    });
  }

  /** Downloads a private file by id through a short-lived signed URL. */
  async downloadById(fileId: string, options: DownloadOptions = {}): Promise<DownloadedFile> {
    const signed = await this.signedUrl(fileId, { expirationSeconds: 300 });
    return this.downloader.download(this.portalId, signed.url, { ...options, signed: true });
  }

  /** Downloads from a URL HubSpot gave (attachment `url`); the token goes to HubSpot hosts only. */
  downloadUrl(url: string, options: DownloadOptions = {}): Promise<DownloadedFile> {
    return this.downloader.download(this.portalId, url, options);
  }
}
