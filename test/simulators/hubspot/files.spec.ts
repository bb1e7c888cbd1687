import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { type HubSpotSimulator, startHubSpotSimulator } from './server';
import { call, rec } from './test-helpers';

jest.setTimeout(60_000);

const MB = 1024 * 1024;

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

const CHUNK = 256 * 1024;
const PATTERNS = [0, 1, 2, 3].map((n) => Buffer.alloc(CHUNK, 0x41 + n));

/** A deterministic byte pattern produced chunk by chunk (never held whole in memory). */
function* chunks(total: number, onProgress?: (sent: number) => void): Generator<Buffer> {
  let sent = 0;
  let n = 0;
  while (sent < total) {
    const len = Math.min(CHUNK, total - sent);
    const pattern = PATTERNS[n++ % PATTERNS.length];
    yield len === CHUNK ? pattern : pattern.subarray(0, len);
    sent += len;
    onProgress?.(sent);
  }
}

function multipartStream(
  boundary: string,
  fields: Record<string, string>,
  fileName: string,
  contentType: string,
  total: number,
  onProgress?: (sent: number) => void,
): Readable {
  async function* gen(): AsyncGenerator<Buffer> {
    for (const [k, v] of Object.entries(fields)) {
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
      );
    }
    yield Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    );
    for (const c of chunks(total, onProgress)) yield c;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return Readable.from(gen());
}

async function upload(
  sim: HubSpotSimulator,
  token: string,
  fields: Record<string, string>,
  total: number,
  name = 'big.bin',
  type = 'application/octet-stream',
  onProgress?: (sent: number) => void,
) {
  const boundary = `----sim${Date.now()}`;
  const body = Readable.toWeb(
    multipartStream(boundary, fields, name, type, total, onProgress),
  ) as ReadableStream<Uint8Array>;
  const res = await fetch(`${sim.baseUrl}/files/v3/files`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body,
    duplex: 'half',
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as unknown };
}

describe('HubSpot simulator: Files API', () => {
  let sim: HubSpotSimulator;
  let token = '';

  beforeAll(async () => {
    sim = await startHubSpotSimulator({ port: 0 });
    token = sim.control.createPortal({ issueTokens: true }).accessToken ?? '';
  }, 60_000);
  afterAll(async () => {
    await sim.close();
  });

  it('streams a 50 MB multipart upload to disk without buffering it in memory', async () => {
    const total = 50 * MB;
    const expectedMd5 = createHash('md5');
    for (const c of chunks(total)) expectedMd5.update(c);
    const md5 = expectedMd5.digest('hex');
    gc();
    const base = process.memoryUsage();
    const retained: number[] = [];
    let onDiskAt40Mb = -1;
    const res = await upload(
      sim,
      token,
      { folderPath: '/conversations/big', options: JSON.stringify({ access: 'PRIVATE' }) },
      total,
      'big.bin',
      'application/octet-stream',
      (sent) => {
        if (sent % (10 * MB) !== 0) return;
        gc();
        const m = process.memoryUsage();
        retained.push(m.heapUsed + m.arrayBuffers - (base.heapUsed + base.arrayBuffers));
        if (sent === 40 * MB) {
          const uploads = fs.readdirSync(sim.filesDir).filter((n) => n.startsWith('upload-'));
          onDiskAt40Mb = Math.max(
            0,
            ...uploads.map((n) => fs.statSync(path.join(sim.filesDir, n)).size),
          );
        }
      },
    );
    expect(res.status).toBe(201);
    const file = rec(res.body);
    expect(file).toMatchObject({
      size: total,
      fileMd5: md5,
      access: 'PRIVATE',
      name: 'big',
      extension: 'bin',
      path: '/conversations/big/big.bin',
    });
    // Client and server share this process: a buffered body would be retained across GCs,
    // and the file is already being written to disk while the client is still sending.
    expect(Math.max(...retained)).toBeLessThan(20 * MB);
    expect(onDiskAt40Mb).toBeGreaterThan(20 * MB);

    const signed = rec(
      (
        await call(
          sim,
          'GET',
          `/files/v3/files/${String(file.id)}/signed-url?expirationSeconds=60`,
          { token },
        )
      ).body,
    );
    const dl = await fetch(String(signed.url));
    expect(dl.status).toBe(200);
    const hash = createHash('md5');
    let size = 0;
    for await (const c of Readable.fromWeb(
      dl.body as import('node:stream/web').ReadableStream<Uint8Array>,
    )) {
      hash.update(c as Buffer);
      size += (c as Buffer).length;
    }
    expect(size).toBe(total);
    expect(hash.digest('hex')).toBe(md5);
  });

  it('validates uploads: options with access and a folder are required', async () => {
    const noOptions = await upload(sim, token, { folderPath: '/x' }, 10);
    expect(noOptions.status).toBe(400);
    expect(rec(noOptions.body).category).toBe('VALIDATION_ERROR');
    const badAccess = await upload(
      sim,
      token,
      { folderPath: '/x', options: JSON.stringify({ access: 'OPEN' }) },
      10,
    );
    expect(badAccess.status).toBe(400);
    const noFolder = await upload(
      sim,
      token,
      { options: JSON.stringify({ access: 'PRIVATE' }) },
      10,
    );
    expect(noFolder.status).toBe(400);
    const unauth = await fetch(`${sim.baseUrl}/files/v3/files`, { method: 'POST' });
    expect(unauth.status).toBe(401);
  });

  it('serves metadata, signed URLs, the authenticated download and public hosting URLs', async () => {
    const up = await upload(
      sim,
      token,
      {
        folderPath: '/pics',
        fileName: 'cat.png',
        options: JSON.stringify({ access: 'PUBLIC_NOT_INDEXABLE' }),
      },
      1234,
      'x.png',
      'image/png',
    );
    expect(up.status).toBe(201);
    const f = rec(up.body);
    expect(f).toMatchObject({ name: 'cat', extension: 'png', type: 'IMG', size: 1234 });
    const meta = await call(sim, 'GET', `/files/v3/files/${String(f.id)}`, { token });
    expect(rec(meta.body).id).toBe(f.id);
    expect((await call(sim, 'GET', '/files/v3/files/abc', { token })).status).toBe(400);
    const dl = await fetch(`${sim.baseUrl}/files/v3/files/${String(f.id)}/download`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('image/png');
    expect((await dl.arrayBuffer()).byteLength).toBe(1234);
    expect((await fetch(String(f.url))).status).toBe(200);
    const signed = rec(
      (await call(sim, 'GET', `/files/v3/files/${String(f.id)}/signed-url`, { token })).body,
    );
    // Change the signature's first character (to one it is not: a signature starting with '0'
    // stayed valid when always replaced by '0').
    const tampered = String(signed.url).replace(
      /signature=(.)/,
      (_match, first: string) => `signature=${first === '0' ? '1' : '0'}`,
    );
    expect(tampered).not.toBe(String(signed.url));
    expect((await fetch(tampered)).status).toBe(403);
    expect((await call(sim, 'DELETE', `/files/v3/files/${String(f.id)}`, { token })).status).toBe(
      204,
    );
    expect((await call(sim, 'GET', `/files/v3/files/${String(f.id)}`, { token })).status).toBe(404);
  });
});
