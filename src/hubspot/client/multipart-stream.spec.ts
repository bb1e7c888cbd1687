import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { multipartBody } from './multipart-stream';

async function parse(contentType: string, chunks: AsyncIterable<Uint8Array>) {
  const fields: Record<string, string> = {};
  const files: { name: string; fileName: string; mime: string; size: number; md5: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = busboy({ headers: { 'content-type': contentType } });
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (name, stream, info) => {
      const hash = createHash('md5');
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      stream.on('end', () =>
        files.push({
          name,
          fileName: info.filename ?? '',
          mime: info.mimeType,
          size,
          md5: hash.digest('hex'),
        }),
      );
    });
    parser.on('close', resolve);
    parser.on('error', reject);
    Readable.from(chunks).pipe(parser);
  });
  return { fields, files };
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe(multipartBody.name, () => {
  const data = Buffer.alloc(100_000, 7);

  it('produces a body busboy parses back into the fields and the file', async () => {
    const body = multipartBody(
      { folderPath: '/gw/channel-1', options: '{"access":"PRIVATE"}', skipped: undefined },
      {
        field: 'file',
        fileName: 'photo "1".png',
        contentType: 'image/png',
        data: Readable.from([data.subarray(0, 50_000), data.subarray(50_000)]),
        size: data.length,
      },
    );
    const parsed = await parse(body.contentType, body.chunks());
    expect(parsed.fields).toEqual({ folderPath: '/gw/channel-1', options: '{"access":"PRIVATE"}' });
    expect(parsed.files).toEqual([
      {
        name: 'file',
        fileName: 'photo _1_.png',
        mime: 'image/png',
        size: data.length,
        md5: createHash('md5').update(data).digest('hex'),
      },
    ]);
  });

  it('announces the exact Content-Length when the size is known', async () => {
    const body = multipartBody(
      { a: 'b' },
      {
        field: 'file',
        fileName: 'x.bin',
        contentType: 'application/octet-stream',
        data: Readable.from([data]),
        size: data.length,
      },
    );
    expect(body.contentLength).toBe((await collect(body.chunks())).length);
  });

  it('keeps non-ASCII file names through filename*', async () => {
    const body = multipartBody(
      {},
      {
        field: 'file',
        fileName: 'résumé.pdf',
        contentType: 'application/pdf',
        data: Readable.from([Buffer.from('x')]),
      },
    );
    const parsed = await parse(body.contentType, body.chunks());
    expect(parsed.files[0].fileName).toBe('résumé.pdf');
    expect(body.contentLength).toBeUndefined();
  });

  it('fails when the stream is shorter than announced', async () => {
    const body = multipartBody(
      {},
      {
        field: 'file',
        fileName: 'x',
        contentType: 'text/plain',
        data: Readable.from([Buffer.from('abc')]),
        size: 10,
      },
    );
    await expect(collect(body.chunks())).rejects.toThrow('3 bytes, 10 were announced');
  });
});
