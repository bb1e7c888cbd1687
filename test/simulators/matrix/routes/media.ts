import { Router, type Request, type Response } from 'express';
import type { SimCore } from '../core';
import { ctx, requester } from '../http/context';
import { forbidden, MatrixError, notFound } from '../http/errors';
import type { MediaRepo } from '../state/media';
import { param, queryString } from './helpers';

const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp)|video\/|audio\/|text\/plain)/;

function contentTypeOf(req: Request): string | undefined {
  const header = req.headers['content-type'];
  return header ? header.split(';')[0].trim() : undefined;
}

function serve(req: Request, res: Response, repo: MediaRepo): void {
  const record = repo.get(param(req, 'serverName'), param(req, 'mediaId'));
  if (!record) throw notFound('Media not found');
  if (!record.bytes)
    throw new MatrixError(504, 'M_NOT_YET_UPLOADED', 'Media has not been uploaded yet');
  const name = param(req, 'fileName') || record.filename;
  const disposition = INLINE_TYPES.test(record.contentType) ? 'inline' : 'attachment';
  res.setHeader('Content-Type', record.contentType);
  res.setHeader(
    'Content-Disposition',
    name ? `${disposition}; filename*=utf-8''${encodeURIComponent(name)}` : disposition,
  );
  res.setHeader(
    'Content-Security-Policy',
    "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';",
  );
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.status(200).end(record.bytes);
}

/** Upload (sync + async), authenticated download/thumbnail/config, frozen legacy download. */
export function mediaRoutes(core: SimCore, repo: MediaRepo): Router {
  const r = Router();
  const bytesOf = (res: Response): Buffer => {
    const body = ctx(res).body;
    return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  };

  r.post('/_matrix/media/v3/upload', (req, res) => {
    const record = repo.create(
      requester(res).userId,
      contentTypeOf(req),
      queryString(res, 'filename'),
      bytesOf(res),
    );
    res.json({ content_uri: record.contentUri });
  });

  r.post('/_matrix/media/v1/create', (_req, res) => {
    const record = repo.create(requester(res).userId);
    res.json({
      content_uri: record.contentUri,
      unused_expires_at: record.createdAt + 24 * 3600 * 1000,
    });
  });

  r.put('/_matrix/media/v3/upload/:serverName/:mediaId', (req, res) => {
    const record = repo.get(param(req, 'serverName'), param(req, 'mediaId'));
    if (!record) throw notFound('Media not found');
    if (record.uploader !== requester(res).userId)
      throw forbidden('Not the creator of this media id');
    if (record.bytes)
      throw new MatrixError(409, 'M_CANNOT_OVERWRITE_MEDIA', 'Media already uploaded');
    const bytes = bytesOf(res);
    if (bytes.length > core.maxUploadBytes)
      throw new MatrixError(413, 'M_TOO_LARGE', 'Upload too large');
    record.bytes = bytes;
    record.contentType = contentTypeOf(req) ?? 'application/octet-stream';
    const filename = queryString(res, 'filename');
    if (filename !== undefined) record.filename = filename;
    res.json({});
  });

  const authed = (req: Request, res: Response): void => serve(req, res, repo);
  r.get('/_matrix/client/v1/media/download/:serverName/:mediaId{/:fileName}', authed);
  // No image processing: thumbnails answer with the original bytes.
  r.get('/_matrix/client/v1/media/thumbnail/:serverName/:mediaId', authed);

  const config = (_req: Request, res: Response): void => {
    res.json({ 'm.upload.size': core.maxUploadBytes });
  };
  r.get('/_matrix/client/v1/media/config', config);
  r.get('/_matrix/media/v3/config', config);

  const legacy = (req: Request, res: Response): void => {
    if (core.legacyMediaDownload === 'frozen') {
      throw notFound('Not found (unauthenticated media is frozen; use /_matrix/client/v1/media)');
    }
    serve(req, res, repo);
  };
  r.get('/_matrix/media/v3/download/:serverName/:mediaId{/:fileName}', legacy);
  r.get('/_matrix/media/v3/thumbnail/:serverName/:mediaId', legacy);

  return r;
}
