import { MatrixError } from '../http/errors';
import type { MediaRecord } from '../types';
import { newMediaId } from '../util/ids';
import type { SimStore } from './store';

/** In-memory content repository (`mxc://<server>/<mediaId>`). */
export class MediaRepo {
  constructor(
    private readonly store: SimStore,
    private readonly maxBytes: () => number,
  ) {}

  create(uploader: string, contentType?: string, filename?: string, bytes?: Buffer): MediaRecord {
    if (bytes && bytes.length > this.maxBytes()) {
      throw new MatrixError(413, 'M_TOO_LARGE', `Upload exceeds ${this.maxBytes()} bytes`);
    }
    const mediaId = newMediaId();
    const serverName = this.store.serverName;
    const record: MediaRecord = {
      mediaId,
      serverName,
      contentUri: `mxc://${serverName}/${mediaId}`,
      contentType: contentType ?? 'application/octet-stream',
      uploader,
      createdAt: Date.now(),
      ...(filename !== undefined ? { filename } : {}),
      ...(bytes ? { bytes } : {}),
    };
    this.store.media.set(this.store.mediaKey(serverName, mediaId), record);
    return record;
  }

  get(serverName: string, mediaId: string): MediaRecord | undefined {
    return this.store.media.get(this.store.mediaKey(serverName, mediaId));
  }

  /** Parses `mxc://server/id` into the stored record. */
  byUri(uri: string): MediaRecord | undefined {
    const m = /^mxc:\/\/([^/]+)\/([A-Za-z0-9_-]+)$/.exec(uri);
    return m ? this.get(m[1], m[2]) : undefined;
  }
}
