/**
 * Turns an agent's message into the Echo messages to send: text (or Echo markup) split to the
 * platform's limit, attachments read and grouped by the per-message maximum.
 */
import type { Readable } from 'node:stream';
import { PermanentError, type OutboundMessage } from '../../src/core/adapter';
import { visibleText } from './echo-markup';
import { ECHO_LIMITS } from './echo-platform.types';
import { splitMarkup, splitText } from './echo-text-splitter';
import { renderEchoMarkup } from './echo.formatter';

export interface EchoBody {
  text?: string;
  html?: string;
}

export interface ReadAttachment {
  kind: OutboundMessage['attachments'][number]['kind'];
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

/** The text parts of a message, as Echo markup when the agent's HTML had formatting. */
export function bodyParts(message: Pick<OutboundMessage, 'text' | 'html'>): EchoBody[] {
  const max = ECHO_LIMITS.maxTextLength;
  const markup = message.html ? renderEchoMarkup(message.html) : '';
  if (markup && /<[a-z]/.test(markup) && visibleText(markup).trim()) {
    return splitMarkup(markup, max).map((html) => ({ html }));
  }
  const text = markup ? visibleText(markup) : message.text;
  return text.trim() ? splitText(text, max).map((part) => ({ text: part })) : [];
}

export async function readAttachments(message: OutboundMessage): Promise<ReadAttachment[]> {
  const read: ReadAttachment[] = [];
  for (const attachment of message.attachments) {
    const bytes = await readAll(await attachment.open(), ECHO_LIMITS.maxFileSizeBytes).catch(
      (error: unknown) => {
        if (error instanceof TooLargeError) {
          throw new PermanentError(`${attachment.fileName} is larger than Echo's 10 MB limit`);
        }
        throw error;
      },
    );
    read.push({ ...attachment, bytes });
  }
  return read;
}

export function groupsOf<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let index = 0; index < items.length; index += size) {
    groups.push(items.slice(index, index + size));
  }
  return groups;
}

class TooLargeError extends Error {}

async function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new TooLargeError();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
