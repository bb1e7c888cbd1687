import { describe, expect } from '@jest/globals';
import type { RichTextFeature } from '../../../src/core/adapter';
import type { HarnessAccount, RichTextSpan } from '../conformance-harness';
import { longText, NON_LATIN_TEXT, wordsOf } from '../fixtures';
import { fingerprint } from '../streams';
import type { CheckContext } from './check-context';

/** One HTML sample per rich-text feature, as HubSpot writes it, and the span it must render. */
const RICH_SAMPLES: Record<RichTextFeature, { html: string; text: string; span?: RichTextSpan }> = {
  BOLD: {
    html: '<strong>bold words</strong>',
    text: 'bold words',
    span: { feature: 'BOLD', text: 'bold words' },
  },
  ITALIC: {
    html: '<em>italic words</em>',
    text: 'italic words',
    span: { feature: 'ITALIC', text: 'italic words' },
  },
  UNDERLINE: {
    html: '<u>underlined words</u>',
    text: 'underlined words',
    span: { feature: 'UNDERLINE', text: 'underlined words' },
  },
  HYPERLINK: {
    html: '<a href="https://example.com/conformance?a=1&amp;b=2">the link</a>',
    text: 'the link (https://example.com/conformance?a=1&b=2)',
    span: {
      feature: 'HYPERLINK',
      text: 'the link',
      url: 'https://example.com/conformance?a=1&b=2',
    },
  },
  BLOCKQUOTE: {
    html: '<blockquote>quoted words</blockquote>',
    text: 'quoted words',
    span: { feature: 'BLOCKQUOTE', text: 'quoted words' },
  },
  LISTS: {
    html: '<ul><li>listed item</li></ul>',
    text: '- listed item',
    span: { feature: 'LISTS', text: 'listed item' },
  },
  TEXT_ALIGNMENT: {
    html: '<p style="text-align: center">centered words</p>',
    text: 'centered words',
  },
};

const codePoints = (text: string) => Array.from(text).length;

export function describeOutboundChecks<S extends object, A extends HarnessAccount>({
  session,
  check,
}: CheckContext<S, A>): void {
  const { outbound } = session.manifest;

  describe('send', () => {
    check('sends text to the conversation and returns the platform ids', async () => {
      const main = await session.mainAccount();
      const message = session.outboundMessage(main.conversation, { text: 'Hello from an agent' });
      const { result, received } = await session.sendAndRead(main, message);
      expect(result.externalMessageIds).toHaveLength(1);
      expect(received[0]).toMatchObject({
        text: 'Hello from an agent',
        conversationExternalId: main.conversation.externalId,
      });
    });

    check('splits text longer than maxTextLength; it arrives complete and in order', async () => {
      const main = await session.mainAccount();
      const text = longText(Math.min(outbound.maxTextLength * 2 + 50, 200_000));
      const { received } = await session.sendAndRead(
        main,
        session.outboundMessage(main.conversation, { text }),
      );
      expect(received.length).toBeGreaterThanOrEqual(2);
      for (const part of received)
        expect(codePoints(part.text)).toBeLessThanOrEqual(outbound.maxTextLength);
      expect(wordsOf(received.map((part) => part.text).join(' '))).toEqual(wordsOf(text));
    });

    check('non-Latin text (Cyrillic, CJK, emoji, RTL) arrives unchanged', async () => {
      const main = await session.mainAccount();
      const message = session.outboundMessage(main.conversation, { text: NON_LATIN_TEXT });
      const { received } = await session.sendAndRead(main, message);
      expect(received.map((part) => part.text).join('')).toBe(NON_LATIN_TEXT);
    });

    if (outbound.formatting === 'html') {
      check(`renders the declared rich text (${outbound.richText.join(', ')})`, async () => {
        const main = await session.mainAccount();
        const samples = outbound.richText.map((feature) => RICH_SAMPLES[feature]);
        const html = `<p>Formatting: ${samples.map((s) => s.html).join(' ')}</p>`;
        const text = `Formatting: ${samples.map((s) => s.text).join(' ')}`;
        const { received } = await session.sendAndRead(
          main,
          session.outboundMessage(main.conversation, { text, html }),
        );
        const spans = received.flatMap((part) =>
          part.richText.map((s) => ({ ...s, text: s.text.trim() })),
        );
        for (const sample of samples) {
          if (sample.span) expect(spans).toContainEqual(sample.span);
        }
        expect(received.map((part) => part.text).join(' ')).toContain('Formatting:');
      });

      check('non-Latin text sent as HTML arrives unchanged', async () => {
        const main = await session.mainAccount();
        const html = `<p>${NON_LATIN_TEXT}</p>`;
        const message = session.outboundMessage(main.conversation, { text: NON_LATIN_TEXT, html });
        const { received } = await session.sendAndRead(main, message);
        expect(
          received
            .map((part) => part.text)
            .join('')
            .trim(),
        ).toBe(NON_LATIN_TEXT);
      });
    }

    for (const kind of outbound.attachments) {
      check(`sends a ${kind} attachment with the same bytes`, async () => {
        const main = await session.mainAccount();
        const fixture = session.outboundFixture(kind);
        const message = session.outboundMessage(main.conversation, {
          text: `${kind} attached`,
          attachments: [session.outboundAttachment(fixture)],
        });
        const { received } = await session.sendAndRead(main, message);
        const files = received.flatMap((part) => part.attachments);
        expect(files).toHaveLength(1);
        expect(fingerprint(files[0].bytes)).toEqual(fingerprint(fixture.bytes));
        if (files[0].mimeType !== undefined) expect(files[0].mimeType).toBe(fixture.mimeType);
        if (files[0].kind !== undefined) expect(files[0].kind).toBe(kind);
        if (files[0].fileName !== undefined && kind === 'file') {
          expect(files[0].fileName).toBe(fixture.fileName);
        }
      });
    }

    if (outbound.replies) {
      check('a reply names the customer message it answers', async () => {
        const main = await session.mainAccount();
        const target = main.firstMessage.externalMessageId;
        const message = session.outboundMessage(main.conversation, {
          text: 'answering you',
          inReplyToExternalId: target,
        });
        const { received } = await session.sendAndRead(main, message);
        expect(received[0].inReplyToExternalId).toBe(target);
      });
    }

    if (outbound.readReceipts) {
      check('a read receipt names the business message that was read', async () => {
        const main = await session.mainAccount();
        const message = session.outboundMessage(main.conversation, { text: 'please read me' });
        const { result } = await session.sendAndRead(main, message);
        const ids = result.externalMessageIds;
        const { event } = await session.inject(
          main,
          { kind: 'read', externalMessageIds: ids },
          (e) => e.type === 'read',
        );
        expect(event).toMatchObject({
          type: 'read',
          conversation: { externalId: main.conversation.externalId },
        });
        if (event.type !== 'read') return;
        const named = event.externalMessageIds.includes(ids[ids.length - 1]);
        expect(named || (event.upToAndIncluding && event.externalMessageIds.length > 0)).toBe(true);
      });
    }
  });
}
