import busboy from 'busboy';
import type { Request } from 'express';
import { badRequest, entityTooLarge, TelegramApiError } from './errors';
import type { RawParams, UploadedFile } from './uploaded-file';

/** Telegram's upload cap for multipart bodies (photos are capped lower by the send methods). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const MAX_TEXT_BODY_BYTES = 10 * 1024 * 1024;

function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(entityTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function queryFields(req: Request): Record<string, unknown> {
  const url = new URL(req.originalUrl, 'http://127.0.0.1');
  const fields: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) fields[k] = v;
  return fields;
}

function parseMultipart(req: Request): Promise<RawParams> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, unknown> = {};
    const files = new Map<string, UploadedFile>();
    let failure: TelegramApiError | undefined;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: MAX_TEXT_BODY_BYTES },
        defParamCharset: 'utf8',
      });
    } catch {
      reject(badRequest("can't parse multipart/form-data request"));
      return;
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        failure = entityTooLarge();
      });
      stream.on('end', () => {
        files.set(name, {
          kind: 'upload',
          partName: name,
          fileName: info.filename ?? name,
          mimeType: info.mimeType || 'application/octet-stream',
          data: Buffer.concat(chunks),
        });
      });
    });
    parser.on('error', () => reject(badRequest("can't parse multipart/form-data request")));
    parser.on('close', () => (failure ? reject(failure) : resolve({ fields, files })));
    req.pipe(parser);
  });
}

/**
 * Collects a Bot API call's parameters from the query string and the body, in any of the four
 * encodings Telegram accepts (query, urlencoded, JSON, multipart). Body values win over the query.
 */
export async function parseRequestParams(req: Request): Promise<RawParams> {
  const query = queryFields(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const parsed = await parseMultipart(req);
    return { fields: { ...query, ...parsed.fields }, files: parsed.files };
  }
  const body = await readBody(req, MAX_TEXT_BODY_BYTES);
  const files = new Map<string, UploadedFile>();
  if (body.length === 0) return { fields: query, files };
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest("can't parse JSON object");
    }
    return { fields: { ...query, ...(parsed as Record<string, unknown>) }, files };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const fields: Record<string, unknown> = { ...query };
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) fields[k] = v;
    return { fields, files };
  }
  return { fields: query, files };
}
