import { badRequest, entityTooLarge } from '../http/errors';
import { isUploadedFile, type UploadedFile } from '../http/uploaded-file';
import type { FileKind, StoredFile } from '../state/file-store';
import { mimeFor } from '../state/media-sniff';
import type { MethodContext } from './method-types';

const MB = 1024 * 1024;
const UPLOAD_CAP: Partial<Record<FileKind, number>> = { photo: 10 * MB };
const URL_CAP: Partial<Record<FileKind, number>> = { photo: 5 * MB };
const DEFAULT_URL_CAP = 20 * MB;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function capitalize(kind: string): string {
  return kind
    .split('_')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/**
 * Turns an InputFile parameter value (upload, attach:// reference, file_id or HTTP URL) into a file
 * in the bot's store, applying Telegram's size caps and "type cannot change" rule for file_ids.
 */
export async function resolveInputFile(
  ctx: MethodContext,
  value: unknown,
  kind: FileKind,
  label: string,
): Promise<StoredFile> {
  if (isUploadedFile(value)) return storeUpload(ctx, value, kind);
  if (typeof value !== 'string' || value === '') {
    throw badRequest(`there is no ${label} in the request`);
  }
  if (value.startsWith('attach://')) {
    const part = ctx.raw.files.get(value.slice('attach://'.length));
    if (!part) throw badRequest(`there is no ${label} in the request`);
    return storeUpload(ctx, part, kind);
  }
  if (/^https?:\/\//i.test(value)) return fetchUrl(ctx, value, kind);
  const known = ctx.bot.files.get(value);
  if (!known) throw badRequest('wrong file identifier/HTTP URL specified');
  if (known.kind !== kind && !(kind === 'document' && known.kind !== 'photo')) {
    throw badRequest(`can't use file of type ${capitalize(known.kind)} as ${capitalize(kind)}`);
  }
  return known;
}

function storeUpload(ctx: MethodContext, part: UploadedFile, kind: FileKind): StoredFile {
  const cap = UPLOAD_CAP[kind];
  if (cap !== undefined && part.data.length > cap) throw entityTooLarge();
  return ctx.bot.files.add({
    kind,
    data: part.data,
    file_name: part.fileName,
    mime_type: mimeFor(part.fileName, part.mimeType),
  });
}

/** Loopback URLs are downloaded for real; other hosts are recorded without network access. */
async function fetchUrl(ctx: MethodContext, url: string, kind: FileKind): Promise<StoredFile> {
  const parsed = new URL(url);
  const fileName = decodeURIComponent(parsed.pathname.split('/').pop() ?? '') || undefined;
  if (!LOOPBACK.has(parsed.hostname)) {
    return ctx.bot.files.add({
      kind,
      data: Buffer.alloc(0),
      file_name: fileName,
      mime_type: mimeFor(fileName, undefined),
      source_url: url,
    });
  }
  let data: Buffer;
  let type: string | undefined;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(String(res.status));
    data = Buffer.from(await res.arrayBuffer());
    type = res.headers.get('content-type') ?? undefined;
  } catch {
    throw badRequest('failed to get HTTP URL content');
  }
  if (data.length > (URL_CAP[kind] ?? DEFAULT_URL_CAP)) {
    throw badRequest('failed to get HTTP URL content');
  }
  return ctx.bot.files.add({
    kind,
    data,
    file_name: fileName,
    mime_type: mimeFor(fileName, type?.split(';')[0]),
    source_url: url,
  });
}
