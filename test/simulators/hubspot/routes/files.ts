import busboy from 'busboy';
import type { Request, Response } from 'express';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { portalIdOf } from '../auth';
import type { SimContext } from '../context';
import { HubSpotError, notFound, validationError } from '../errors';
import { buildUploadValidator } from '../files-validation';
import { presentFile, fileTypeOf } from '../presenters';
import type { StoredFile } from '../types';
import { type RouteKit, route } from './route';

const PUBLIC_ACCESS = new Set([
  'PUBLIC_INDEXABLE',
  'PUBLIC_NOT_INDEXABLE',
  'HIDDEN_INDEXABLE',
  'HIDDEN_NOT_INDEXABLE',
]);

interface Received {
  diskPath: string;
  filename: string;
  mimeType: string;
  size: number;
  md5: string;
}

/** Streams a multipart upload to disk (never buffering the file) and collects the text parts. */
function receiveMultipart(
  ctx: SimContext,
  req: Request,
): Promise<{ fields: Record<string, string>; file?: Received }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { fileSize: ctx.options.maxUploadBytes, files: 1, fields: 20 },
      });
    } catch (e) {
      reject(
        validationError(`Invalid multipart request: ${e instanceof Error ? e.message : String(e)}`),
      );
      return;
    }
    const fields: Record<string, string> = {};
    let file: Received | undefined;
    let writing: Promise<void> | undefined;
    let failed: unknown;
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        failed = validationError(`Unexpected file part "${name}"; the file must be sent as "file"`);
        return;
      }
      const diskPath = path.join(ctx.filesDir, `upload-${ctx.state.nextId('upload', 0)}`);
      const md5 = createHash('md5');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          md5.update(chunk);
          cb(null, chunk);
        },
      });
      stream.on('limit', () => {
        failed = new HubSpotError(
          413,
          'VALIDATION_ERROR',
          `File exceeds the maximum upload size of ${ctx.options.maxUploadBytes} bytes`,
        );
      });
      writing = pipeline(stream, meter, fs.createWriteStream(diskPath)).then(() => {
        file = {
          diskPath,
          filename: info.filename ?? 'file',
          mimeType: info.mimeType,
          size,
          md5: md5.digest('hex'),
        };
      });
    });
    bb.on('error', (e) =>
      reject(
        validationError(`Invalid multipart body: ${e instanceof Error ? e.message : String(e)}`),
      ),
    );
    bb.on('close', () => {
      void (writing ?? Promise.resolve()).then(
        () => {
          if (failed) {
            if (file) fs.rmSync(file.diskPath, { force: true });
            reject(failed);
          } else resolve({ fields, file });
        },
        (e: unknown) => reject(e),
      );
    });
    req.pipe(bb);
  });
}

export function signFileUrl(ctx: SimContext, fileId: string, expiresAt: number): string {
  const sig = createHmac('sha256', ctx.urlSigningKey)
    .update(`${fileId}.${expiresAt}`)
    .digest('hex');
  return `${ctx.baseUrl}/__sim/signed-files/${fileId}?expires=${expiresAt}&signature=${sig}`;
}

export function checkSignedUrl(
  ctx: SimContext,
  fileId: string,
  expires: string,
  signature: string,
): boolean {
  const expected = createHmac('sha256', ctx.urlSigningKey).update(`${fileId}.${expires}`).digest();
  const given = Buffer.from(signature, 'hex');
  return (
    given.length === expected.length &&
    timingSafeEqual(given, expected) &&
    Number(expires) > Date.now()
  );
}

export function sendFileBytes(res: Response, f: StoredFile): void {
  res.setHeader('Content-Type', f.contentType);
  res.setHeader('Content-Length', String(f.size));
  res.setHeader(
    'Content-Disposition',
    `inline; filename="${f.name}${f.extension ? `.${f.extension}` : ''}"`,
  );
  fs.createReadStream(f.diskPath).pipe(res);
}

export function storeFile(
  ctx: SimContext,
  portalId: string,
  input: {
    diskPath: string;
    filename: string;
    contentType: string;
    size: number;
    md5: string;
    access: string;
    folderPath?: string;
    folderId?: string;
    name?: string;
  },
): StoredFile {
  const ext =
    path.extname(input.name ?? input.filename).replace(/^\./, '') ||
    path.extname(input.filename).replace(/^\./, '');
  const base = path.basename(input.name ?? input.filename, ext ? `.${ext}` : undefined) || 'file';
  const folder = (input.folderPath ?? `/folder-${input.folderId ?? '0'}`).replace(/\/+$/, '');
  const now = new Date().toISOString();
  const f: StoredFile = {
    id: ctx.state.nextId('file', 180_000_000_000),
    portalId,
    name: base,
    extension: ext,
    contentType: input.contentType || 'application/octet-stream',
    size: input.size,
    md5: input.md5,
    access: input.access,
    path: `${folder}/${base}${ext ? `.${ext}` : ''}`,
    parentFolderId: input.folderId ?? String(1000 + folder.length),
    diskPath: input.diskPath,
    createdAt: now,
    updatedAt: now,
    archived: false,
  };
  ctx.state.files.set(f.id, f);
  return f;
}

/** Files API v3 subset (spec 8). */
export function registerFileRoutes(kit: RouteKit): void {
  const { ctx } = kit;
  const validateUpload = buildUploadValidator(ctx.docs);

  route(kit, 'post', ['/files/v3/files'], 'portal', async (req: Request, res: Response) => {
    if (!req.is('multipart/form-data')) {
      throw new HubSpotError(415, 'VALIDATION_ERROR', 'Content-Type must be multipart/form-data');
    }
    const { fields, file } = await receiveMultipart(ctx, req);
    try {
      if (!file)
        throw validationError('A file part named "file" is required', [
          { message: 'file is required', in: 'file' },
        ]);
      const options = validateUpload(fields);
      const stored = storeFile(ctx, portalIdOf(res), {
        diskPath: file.diskPath,
        filename: file.filename,
        contentType: file.mimeType,
        size: file.size,
        md5: file.md5,
        access: options.access,
        folderPath: fields.folderPath,
        folderId: fields.folderId,
        name: fields.fileName,
      });
      res.location(`${ctx.baseUrl}/files/v3/files/${stored.id}`);
      res.status(201).json(presentFile(stored, ctx.baseUrl));
    } catch (e) {
      if (file) fs.rmSync(file.diskPath, { force: true });
      throw e;
    }
  });

  const find = (req: Request, res: Response): StoredFile => {
    const f = ctx.state.files.get(String(req.params.fileId));
    if (!f || f.portalId !== portalIdOf(res) || f.archived)
      throw notFound(`File ${String(req.params.fileId)} does not exist`);
    return f;
  };

  route(kit, 'get', ['/files/v3/files/{fileId}'], 'portal', (req: Request, res: Response) => {
    res.json(presentFile(find(req, res), ctx.baseUrl));
  });

  route(kit, 'delete', ['/files/v3/files/{fileId}'], 'portal', (req: Request, res: Response) => {
    const f = find(req, res);
    f.archived = true;
    res.status(204).end();
  });

  route(
    kit,
    'get',
    ['/files/v3/files/{fileId}/signed-url'],
    'portal',
    (req: Request, res: Response) => {
      const f = find(req, res);
      const seconds = Number(req.query.expirationSeconds ?? 3600) || 3600;
      const expiresAt = Date.now() + seconds * 1000;
      res.json({
        url: signFileUrl(ctx, f.id, expiresAt),
        expiresAt: new Date(expiresAt).toISOString(),
        name: f.name,
        extension: f.extension,
        type: fileTypeOf(f.contentType, f.extension),
        size: f.size,
      });
    },
  );

  route(
    kit,
    'get',
    ['/files/v3/files/{fileId}/download'],
    'portal',
    (req: Request, res: Response) => {
      sendFileBytes(res, find(req, res));
    },
  );

  /** Signed URLs: anyone with the URL may download until it expires. */
  kit.router.get('/__sim/signed-files/:fileId', (req: Request, res: Response) => {
    const f = ctx.state.files.get(String(req.params.fileId));
    if (
      !f ||
      f.archived ||
      !checkSignedUrl(ctx, f.id, String(req.query.expires ?? ''), String(req.query.signature ?? ''))
    ) {
      throw new HubSpotError(403, 'INVALID_AUTHENTICATION', 'Signed URL is invalid or expired');
    }
    sendFileBytes(res, f);
  });

  /** Hosting URL (file `url`): public files only; private ones need a signed URL (spec 8.2). */
  kit.router.get('/__sim/hubfs/:portalId/:fileId/:name', (req: Request, res: Response) => {
    const f = ctx.state.files.get(String(req.params.fileId));
    if (!f || f.archived || f.portalId !== String(req.params.portalId))
      throw notFound('File not found');
    if (!PUBLIC_ACCESS.has(f.access))
      throw new HubSpotError(
        403,
        'INVALID_AUTHENTICATION',
        'This file is private; request a signed URL',
      );
    sendFileBytes(res, f);
  });
}
