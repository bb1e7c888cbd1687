/**
 * An in-memory stand-in for the part of a HubSpot portal the inbound pipeline uses, for unit
 * tests: records every call and answers like HubSpot (threads by integrationThreadId, dedupe by
 * integrationIdempotencyId), with hooks to make a call fail.
 */
import { Readable } from 'node:stream';
import type { Contact } from '../../client/contacts.api';
import type { Thread, ThreadGetQuery } from '../../client/conversations.api';
import type { FileUpload, HubSpotFile } from '../../client/files.api';
import type { PublishedMessage, PublishMessage } from '../../client/messages.api';
import type { InboundPortalApi } from '../hubspot-portals';

export interface FakeThread {
  id: string;
  integrationThreadId: string;
  status: 'OPEN' | 'CLOSED';
  ticketId?: string;
}

/** Ids stay unique across fakes: tests may share one database. */
let nextId = 1;

export class FakePortal implements InboundPortalApi {
  /** Every publish request, replays included. */
  readonly published: PublishMessage[] = [];
  /** HubSpot's answer to each distinct message, in order. */
  readonly answers: PublishedMessage[] = [];
  readonly uploads: {
    id: string;
    channelId: string;
    fileName: string;
    contentType: string;
    data: Buffer;
  }[] = [];
  readonly threadGets: { threadId: string; query: ThreadGetQuery }[] = [];
  /** Ids of the messages read back (edits quote their original). */
  readonly messageGets: string[] = [];
  readonly searches: { property: string; value: string }[] = [];
  readonly threads = new Map<string, FakeThread>();
  /** Contact ids by `property=value`. */
  readonly contactIds = new Map<string, string>();
  /** Help-desk threads get a ticket each. */
  helpDesk = true;
  /** The next publishes are stored, then their answer is lost (throws this error). */
  readonly lostAnswers: Error[] = [];
  /** Errors the next calls of an API throw, one per call in order (undefined: that call works). */
  readonly failures: Partial<
    Record<'publish' | 'get' | 'upload' | 'getThread' | 'search', (Error | undefined)[]>
  > = {};
  private readonly idempotency = new Map<string, PublishedMessage>();

  readonly messages = {
    publish: async (_channelId: string, message: PublishMessage): Promise<PublishedMessage> => {
      this.published.push(message);
      this.fail('publish');
      const replay = message.integrationIdempotencyId
        ? this.idempotency.get(message.integrationIdempotencyId)
        : undefined;
      if (replay) return replay;
      const thread = this.threadFor(message.integrationThreadId ?? '');
      const answer: PublishedMessage = {
        id: `msg-${nextId++}`,
        type: 'MESSAGE',
        conversationsThreadId: thread.id,
        channelId: '1',
        channelAccountId: message.channelAccountId,
        direction: 'INCOMING',
        text: message.text,
        senders: [],
        recipients: [],
        attachments: [],
        createdAt: message.timestamp,
        createdBy: 'V-1',
        client: { clientType: 'INTEGRATION' },
        truncationStatus: 'NOT_TRUNCATED',
        archived: false,
      };
      this.answers.push(answer);
      if (message.integrationIdempotencyId) {
        this.idempotency.set(message.integrationIdempotencyId, answer);
      }
      const lost = this.lostAnswers.shift();
      if (lost) throw lost;
      return answer;
    },
    get: async (_channelId: string, messageId: string): Promise<PublishedMessage> => {
      this.messageGets.push(messageId);
      this.fail('get');
      const found = this.answers.find((answer) => answer.id === messageId);
      if (!found) throw new Error(`no message ${messageId}`);
      return found;
    },
  };

  readonly files = {
    uploadToChannelFolder: async (channelId: string, upload: FileUpload): Promise<HubSpotFile> => {
      this.fail('upload');
      const source = typeof upload.data === 'function' ? upload.data() : upload.data;
      const chunks: Buffer[] = [];
      for await (const chunk of source) chunks.push(Buffer.from(chunk));
      const data = Buffer.concat(chunks);
      const id = `file-${nextId++}`;
      this.uploads.push({
        id,
        channelId,
        fileName: upload.fileName,
        contentType: upload.contentType,
        data,
      });
      return { id, size: data.length } as HubSpotFile;
    },
  };

  readonly conversations = {
    getThread: async (threadId: string, query: ThreadGetQuery = {}): Promise<Thread> => {
      this.threadGets.push({ threadId, query });
      this.fail('getThread');
      const thread = [...this.threads.values()].find((t) => t.id === threadId);
      if (!thread) throw new Error(`no thread ${threadId}`);
      return {
        id: thread.id,
        status: thread.status,
        archived: false,
        ...(query.association?.includes('TICKET') &&
          thread.ticketId !== undefined && {
            threadAssociations: { associatedTicketId: thread.ticketId },
          }),
      } as Thread;
    },
  };

  readonly contacts = {
    findOneBy: async (property: string, value: string): Promise<Contact | undefined> => {
      this.searches.push({ property, value });
      this.fail('search');
      const id = this.contactIds.get(`${property}=${value}`);
      return id === undefined ? undefined : ({ id, properties: {} } as Contact);
    },
  };

  /** A thread per integrationThreadId; a closed one is replaced by a new one (HubSpot's way). */
  private threadFor(integrationThreadId: string): FakeThread {
    const existing = this.threads.get(integrationThreadId);
    if (existing && existing.status === 'OPEN') return existing;
    const id = String(9_000_000 + nextId++);
    const thread: FakeThread = {
      id,
      integrationThreadId,
      status: 'OPEN',
      ...(this.helpDesk && { ticketId: `ticket-${id}` }),
    };
    this.threads.set(integrationThreadId, thread);
    return thread;
  }

  threadById(threadId: string): FakeThread | undefined {
    return [...this.threads.values()].find((t) => t.id === threadId);
  }

  private fail(api: keyof FakePortal['failures']): void {
    const error = this.failures[api]?.shift();
    if (error) throw error;
  }
}

export function streamOf(data: Buffer): Readable {
  return Readable.from([data]);
}
