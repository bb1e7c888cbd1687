import { randomBytes } from 'node:crypto';

export interface MultipartFilePart {
  /** Form field name (`file` for HubSpot's Files API). */
  field: string;
  fileName: string;
  contentType: string;
  /** The bytes, read chunk by chunk (a Node Readable is an AsyncIterable). */
  data: AsyncIterable<Uint8Array | string>;
  /** Size in bytes when known: the body then gets a Content-Length. */
  size?: number;
}

export interface MultipartBody {
  contentType: string;
  contentLength?: number;
  /** Yields the body; the file is streamed with backpressure, never held in memory whole. */
  chunks(): AsyncIterable<Uint8Array>;
}

/** A boundary that cannot plausibly occur in the data. */
export function newBoundary(): string {
  return `----hubspot-gateway-${randomBytes(16).toString('hex')}`;
}

function headerValue(value: string): string {
  return value.replace(/[\r\n"\\]/g, '_');
}

function dispositionOf(field: string, fileName?: string): string {
  let header = `Content-Disposition: form-data; name="${headerValue(field)}"`;
  if (fileName !== undefined) {
    const ascii = fileName.replace(/[^\x20-\x7e]/g, '_');
    header += `; filename="${headerValue(ascii)}"`;
    if (ascii !== fileName) header += `; filename*=UTF-8''${encodeURIComponent(fileName)}`;
  }
  return header;
}

/**
 * A multipart/form-data body built as a stream: text fields first, then the file part, whose
 * bytes are pulled from the source only as fast as the socket takes them.
 */
export function multipartBody(
  fields: Record<string, string | undefined>,
  file: MultipartFilePart,
  boundary = newBoundary(),
): MultipartBody {
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    head += `--${boundary}\r\n${dispositionOf(name)}\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\n${dispositionOf(file.field, file.fileName)}\r\n` +
    `Content-Type: ${headerValue(file.contentType)}\r\n\r\n`;
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    ...(file.size !== undefined && {
      contentLength: headBytes.length + file.size + tailBytes.length,
    }),
    async *chunks() {
      yield headBytes;
      let sent = 0;
      for await (const chunk of file.data) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        sent += bytes.byteLength;
        yield bytes;
      }
      if (file.size !== undefined && sent !== file.size) {
        throw new Error(`file ${file.fileName} had ${sent} bytes, ${file.size} were announced`);
      }
      yield tailBytes;
    },
  };
}
