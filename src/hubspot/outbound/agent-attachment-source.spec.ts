import type { Readable } from 'node:stream';
import type { ModuleRef } from '@nestjs/core';
import { PermanentError } from '../../core/adapter';
import { type SimHarness, startSimHarness } from '../testing/sim-client';
import { AgentAttachmentSource, SIGNED_URL_SECONDS } from './agent-attachment-source';

jest.setTimeout(30_000);

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe('AgentAttachmentSource (against the HubSpot simulator)', () => {
  let h: SimHarness;
  let portalId: string;
  let source: AgentAttachmentSource;
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const pdf = Buffer.from('%PDF-1.7 a small document');

  beforeAll(async () => {
    h = await startSimHarness({ port: 0 });
    ({ portalId } = await h.install());
    const moduleRef = { get: () => h.kit.client } as unknown as ModuleRef;
    source = new AgentAttachmentSource(moduleRef);
    source.onModuleInit();
  });
  afterAll(() => h?.close());

  const upload = (name: string, contentType: string, content: Buffer, access?: string) =>
    h.sim.control.uploadFile({ portalId, name, contentType, content, ...(access && { access }) });

  const signedUrlCalls = () =>
    h.sim.requests().filter((r) => r.path.includes('/signed-url')).length;

  it('describes private files from HubSpot metadata and streams their bytes on open()', async () => {
    const image = upload('photo.png', 'image/png', png);
    const doc = upload('Quarterly report.pdf', 'application/pdf', pdf);
    const [first, second] = await source.prepare(
      portalId,
      [
        { fileId: image.id, usage: 'IMAGE', name: 'photo.png' },
        { fileId: doc.id, usage: 'OTHER' },
      ],
      { maxBytes: 1024 * 1024 },
    );
    expect(first).toMatchObject({
      kind: 'image',
      fileName: 'photo.png',
      mimeType: 'image/png',
      sizeBytes: png.length,
    });
    expect(second).toMatchObject({
      kind: 'file',
      fileName: 'Quarterly report.pdf',
      mimeType: 'application/pdf',
      sizeBytes: pdf.length,
    });
    expect(await bytesOf(await first.open())).toEqual(png);
    expect(await bytesOf(await second.open())).toEqual(pdf);
    // A second open (an adapter retrying) streams the same bytes again.
    expect(await bytesOf(await second.open())).toEqual(pdf);
  });

  it('gives adapters a public URL valid for at least an hour, fetchable without a token', async () => {
    const image = upload('public.png', 'image/png', png);
    const [attachment] = await source.prepare(portalId, [{ fileId: image.id, usage: 'IMAGE' }], {
      maxBytes: 1024,
    });
    expect(attachment.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__sim\/signed-files\//);
    const response = await fetch(attachment.publicUrl ?? '');
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png);
  });

  it('renews an expiring signed URL before downloading', async () => {
    const doc = upload('late.pdf', 'application/pdf', pdf);
    let clock = Date.now();
    const [attachment] = await source.prepare(
      portalId,
      [{ fileId: doc.id, usage: 'OTHER' }],
      { maxBytes: 1024 },
      () => clock,
    );
    const before = signedUrlCalls();
    clock += SIGNED_URL_SECONDS * 1000;
    expect(await bytesOf(await attachment.open())).toEqual(pdf);
    expect(signedUrlCalls()).toBe(before + 1);
  });

  it('refuses a download larger than the limit', async () => {
    const doc = upload('big.pdf', 'application/pdf', Buffer.alloc(4096, 1));
    const [attachment] = await source.prepare(portalId, [{ fileId: doc.id, usage: 'OTHER' }], {
      maxBytes: 1000,
    });
    await expect(attachment.open()).rejects.toBeInstanceOf(PermanentError);
  });

  it('an unknown file is a permanent failure the agent can read', async () => {
    const failure = source.prepare(
      portalId,
      [{ fileId: '999999', usage: 'OTHER', name: 'gone.pdf' }],
      {
        maxBytes: 1000,
      },
    );
    await expect(failure).rejects.toBeInstanceOf(PermanentError);
    await expect(failure).rejects.toThrow(
      /^the attachment gone\.pdf could not be fetched from HubSpot: /,
    );
  });

  it('downloads from a bare URL when an attachment has no file id', async () => {
    const file = upload('open.pdf', 'application/pdf', pdf, 'PUBLIC_NOT_INDEXABLE');
    const url = `${h.sim.baseUrl}/__sim/hubfs/${portalId}/${file.id}/open.pdf`;
    const [attachment] = await source.prepare(portalId, [{ url, usage: 'OTHER' }], {
      maxBytes: 1024,
    });
    expect(attachment).toMatchObject({
      kind: 'file',
      fileName: 'open.pdf',
      mimeType: 'application/pdf',
    });
    expect(attachment.publicUrl).toBeUndefined();
    expect(await bytesOf(await attachment.open())).toEqual(pdf);
  });
});
