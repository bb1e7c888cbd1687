import { PermanentError, RetryableError, type InboundAttachment } from '../../core/adapter';
import { HubSpotApiError } from '../client/errors';
import { AttachmentUploader, type AttachmentSource } from './attachment-uploader.service';
import { FakePortal, streamOf } from './testing/fake-portal';
import { jobContext, ManualClock, recordingLogger } from './testing/test-kit';

const png = Buffer.from('89504e470d0a1a0a', 'hex');
const pdf = Buffer.from('%PDF-1.7 fake document');

describe('AttachmentUploader', () => {
  let portal: FakePortal;
  let uploader: AttachmentUploader;
  let opened: string[];
  let openFailures: Map<string, Error>;

  const source: AttachmentSource = {
    open: async (attachment) => {
      opened.push(attachment.ref);
      const failure = openFailures.get(attachment.ref);
      if (failure) throw failure;
      const data = attachment.ref === 'ref-png' ? png : pdf;
      return {
        stream: streamOf(data),
        fileName: `platform-${attachment.ref}`,
        mimeType: attachment.ref === 'ref-png' ? 'image/png' : 'application/pdf',
        sizeBytes: data.length,
      };
    },
  };

  const prepare = (attachments: InboundAttachment[], job = jobContext(), messageKey = 'in:a:e1') =>
    uploader.prepare({ portal, channelId: '55', messageKey, attachments, source, job });

  beforeEach(() => {
    portal = new FakePortal();
    opened = [];
    openFailures = new Map();
    uploader = new AttachmentUploader(recordingLogger().logger, new ManualClock());
  });

  it('streams binary attachments into the channel folder and references them by file id', async () => {
    const result = await prepare([
      { kind: 'image', ref: 'ref-png', fileName: 'photo.png' },
      { kind: 'file', ref: 'ref-pdf' },
      { kind: 'location', latitude: 1, longitude: 2 },
      { kind: 'contact', firstName: 'Ada', phones: [{ phone: '+1' }], emails: [] },
    ]);
    expect(result.notes).toEqual([]);
    expect(result.attachments).toEqual([
      { type: 'FILE', fileId: portal.uploads[0]?.id, fileUsageType: 'IMAGE' },
      { type: 'FILE', fileId: portal.uploads[1]?.id, fileUsageType: 'OTHER' },
      { type: 'LOCATION', latitude: 1, longitude: 2 },
      {
        type: 'CONTACT',
        contactProfile: {
          addresses: [],
          emails: [],
          phones: [{ phone: '+1' }],
          urls: [],
          name: { firstName: 'Ada' },
        },
      },
    ]);
    expect(portal.uploads).toEqual([
      {
        id: expect.any(String),
        channelId: '55',
        fileName: 'photo.png',
        contentType: 'image/png',
        data: png,
      },
      {
        id: expect.any(String),
        channelId: '55',
        fileName: 'platform-ref-pdf',
        contentType: 'application/pdf',
        data: pdf,
      },
    ]);
  });

  it('notes an attachment the platform refuses and keeps the others', async () => {
    openFailures.set('ref-big', new PermanentError('file too large'));
    openFailures.set('ref-gone', new PermanentError('expired'));
    const result = await prepare([
      { kind: 'file', ref: 'ref-big', fileName: 'x.pdf' },
      { kind: 'voice', ref: 'ref-gone' },
      { kind: 'image', ref: 'ref-png' },
    ]);
    expect(result.notes).toEqual([
      "[attachment 'x.pdf' could not be transferred: file too large]",
      '[attachment (voice) could not be transferred: expired]',
    ]);
    expect(result.attachments).toEqual([
      { type: 'FILE', fileId: portal.uploads[0]?.id, fileUsageType: 'IMAGE' },
    ]);
  });

  it("notes a file HubSpot refuses, with HubSpot's message", async () => {
    portal.failures.upload = [
      new HubSpotApiError('File type not allowed', {
        status: 400,
        category: 'VALIDATION_ERROR',
        operation: 'POST /files/v3/files',
      }),
    ];
    const result = await prepare([{ kind: 'video', ref: 'ref-pdf' }]);
    expect(result).toEqual({
      attachments: [],
      notes: [
        '[attachment (video) could not be transferred: HubSpot refused the file: File type not allowed]',
      ],
    });
  });

  it('fails the job on a retryable error, and notes it on the last attempt', async () => {
    openFailures.set('ref-pdf', new RetryableError('platform 503'));
    await expect(prepare([{ kind: 'file', ref: 'ref-pdf' }])).rejects.toThrow('platform 503');
    const last = await prepare(
      [{ kind: 'file', ref: 'ref-pdf', fileName: 'a.pdf' }],
      jobContext({ attempt: 5, maxAttempts: 5 }),
    );
    expect(last.notes).toEqual(["[attachment 'a.pdf' could not be transferred: platform 503]"]);
  });

  it('does not upload a file again when the job is retried', async () => {
    portal.failures.upload = [undefined, new RetryableError('HubSpot 502')];
    const attachments: InboundAttachment[] = [
      { kind: 'image', ref: 'ref-png' },
      { kind: 'file', ref: 'ref-pdf' },
    ];
    await expect(prepare(attachments)).rejects.toThrow('HubSpot 502');
    const retried = await prepare(attachments, jobContext({ attempt: 2 }));
    expect(retried.attachments).toEqual([
      { type: 'FILE', fileId: portal.uploads[0]?.id, fileUsageType: 'IMAGE' },
      { type: 'FILE', fileId: portal.uploads[1]?.id, fileUsageType: 'OTHER' },
    ]);
    expect(opened).toEqual(['ref-png', 'ref-pdf', 'ref-pdf']);
    expect(portal.uploads).toHaveLength(2);
    // Another message with the same attachment is uploaded on its own.
    await prepare(attachments, jobContext(), 'in:a:e2');
    expect(portal.uploads).toHaveLength(4);
  });
});
