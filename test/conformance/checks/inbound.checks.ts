import { describe, expect } from '@jest/globals';
import {
  BINARY_ATTACHMENT_KINDS,
  PermanentError,
  type InboundAttachment,
  type InboundBinaryAttachment,
  type InboundEvent,
  type InboundMessageEvent,
} from '../../../src/core/adapter';
import { FIRST_MESSAGE_TEXT } from '../conformance-session';
import { longText, NON_LATIN_TEXT, type AttachmentFixture, type BinaryFixture } from '../fixtures';
import { fingerprint, readAll } from '../streams';
import type { HarnessAccount } from '../conformance-harness';
import type { CheckContext } from './check-context';

const binaryKinds: readonly string[] = BINARY_ATTACHMENT_KINDS;

export function asMessage(event: InboundEvent): InboundMessageEvent {
  expect(event.type).toBe('message');
  return event as InboundMessageEvent;
}

export function describeInboundChecks<S extends object, A extends HarnessAccount>({
  session,
  check,
}: CheckContext<S, A>): void {
  const { inbound } = session.manifest;

  describe('inbound messages', () => {
    check('text arrives with ids, conversation, sender and timestamp', async () => {
      const { firstMessage } = await session.mainAccount();
      expect(firstMessage.text).toBe(FIRST_MESSAGE_TEXT);
      expect(firstMessage.eventId).toEqual(expect.any(String));
      expect(firstMessage.eventId).not.toBe('');
      expect(firstMessage.externalMessageId).toEqual(expect.any(String));
      expect(firstMessage.conversation.externalId).toEqual(expect.any(String));
      expect(firstMessage.sender.id).toEqual(expect.any(String));
      expect(firstMessage.attachments).toEqual([]);
      expect(Number.isNaN(Date.parse(firstMessage.timestamp))).toBe(false);
    });

    check('long text arrives complete', async () => {
      const main = await session.mainAccount();
      const text = longText(session.options.longInboundTextLength ?? 3000);
      const { event } = await session.inject(main, { kind: 'text', text });
      expect(asMessage(event).text).toBe(text);
    });

    check('non-Latin text (Cyrillic, CJK, emoji, RTL) arrives unchanged', async () => {
      const main = await session.mainAccount();
      const { event } = await session.inject(main, { kind: 'text', text: NON_LATIN_TEXT });
      expect(asMessage(event).text).toBe(NON_LATIN_TEXT);
      expect(event).toMatchObject({ conversation: { externalId: main.conversation.externalId } });
    });

    for (const kind of inbound.attachments) {
      const opens = binaryKinds.includes(kind) ? ', whose bytes open unchanged' : '';
      check(`${kind} arrives as a "${kind}" attachment${opens}`, async () => {
        const main = await session.mainAccount();
        const fixture = session.inboundFixture(kind);
        const { event } = await session.inject(main, { kind: 'attachment', attachment: fixture });
        const attachment = asMessage(event).attachments.find((a) => a.kind === kind);
        expect(attachment).toBeDefined();
        await expectAttachmentMatches(fixture, attachment as InboundAttachment);
      });
    }

    async function expectAttachmentMatches(
      fixture: AttachmentFixture,
      attachment: InboundAttachment,
    ): Promise<void> {
      if (attachment.kind === 'location' && fixture.kind === 'location') {
        expect(attachment.latitude).toBeCloseTo(fixture.latitude, 5);
        expect(attachment.longitude).toBeCloseTo(fixture.longitude, 5);
      } else if (attachment.kind === 'contact' && fixture.kind === 'contact') {
        const digits = (phone: string) => phone.replace(/\D/g, '');
        expect(attachment.phones.map((p) => digits(p.phone))).toContain(
          digits(fixture.phones[0].phone),
        );
      } else if (attachment.kind !== 'location' && attachment.kind !== 'contact') {
        await expectOpensAs(attachment, fixture as BinaryFixture);
      }
    }

    async function expectOpensAs(
      attachment: InboundBinaryAttachment,
      fixture: BinaryFixture,
    ): Promise<void> {
      const main = await session.mainAccount();
      expect(typeof attachment.ref).toBe('string');
      if (attachment.sizeBytes !== undefined)
        expect(attachment.sizeBytes).toBe(fixture.bytes.length);
      if (attachment.mimeType !== undefined) expect(attachment.mimeType).toBe(fixture.mimeType);
      const opened = await session.adapter.openAttachment(main.context, attachment);
      expect(fingerprint(await readAll(opened.stream))).toEqual(fingerprint(fixture.bytes));
      expect(opened.mimeType).toBe(fixture.mimeType);
      if (opened.sizeBytes !== undefined) expect(opened.sizeBytes).toBe(fixture.bytes.length);
      expect(opened.fileName.trim()).not.toBe('');
      if (fixture.kind === 'file' && attachment.fileName !== undefined) {
        expect(attachment.fileName).toBe(fixture.fileName);
        expect(opened.fileName).toBe(fixture.fileName);
      }
    }

    const firstBinary = inbound.attachments.find((kind) => binaryKinds.includes(kind));
    if (firstBinary) {
      check(
        'opening an attachment the platform does not have fails with a PermanentError',
        async () => {
          const main = await session.mainAccount();
          const missing = {
            kind: firstBinary as InboundBinaryAttachment['kind'],
            ref: 'conformance-missing-attachment',
          };
          const error = await session.adapter.openAttachment(main.context, missing).then(
            () => new Error('openAttachment succeeded for an unknown ref'),
            (thrown: unknown) => thrown,
          );
          expect(error).toBeInstanceOf(PermanentError);
        },
      );
    }

    if (inbound.replies) {
      check('a reply names the message it answers', async () => {
        const main = await session.mainAccount();
        const target = main.firstMessage.externalMessageId;
        const { event } = await session.inject(main, {
          kind: 'reply',
          text: 'a reply',
          inReplyToExternalId: target,
        });
        expect(asMessage(event)).toMatchObject({ text: 'a reply', inReplyToExternalId: target });
      });
    }

    if (inbound.edits) {
      check('an edit names the edited message and carries the new text', async () => {
        const main = await session.mainAccount();
        const { event: original } = await session.inject(main, { kind: 'text', text: 'typo teh' });
        const id = asMessage(original).externalMessageId;
        const { event } = await session.inject(main, {
          kind: 'edit',
          externalMessageId: id,
          text: 'typo the',
        });
        expect(asMessage(event)).toMatchObject({
          text: 'typo the',
          editOf: { externalMessageId: id },
        });
        expect(event.eventId).not.toBe(original.eventId);
      });
    }
  });
}
