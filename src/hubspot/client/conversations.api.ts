import type { components, paths } from './generated/conversations-v3';
import type { HubSpotHttp } from './hubspot-http';
import type { JsonResponseOf, Operation, QueryOf } from './op-types';
import { expandPath, type QueryInput } from './path';

type Schemas = components['schemas'];
const INBOXES = '/conversations/v3/conversations/inboxes' as const;
const INBOX = '/conversations/v3/conversations/inboxes/{inboxId}' as const;
const THREADS = '/conversations/v3/conversations/threads' as const;
const THREAD = '/conversations/v3/conversations/threads/{threadId}' as const;
const ACTOR = '/conversations/v3/conversations/actors/{actorId}' as const;

export type Inbox = Schemas['PublicInbox'];
export type InboxListQuery = QueryOf<Operation<paths, typeof INBOXES, 'get'>>;
export type InboxPage = JsonResponseOf<Operation<paths, typeof INBOXES, 'get'>, 200>;
export type Thread = Schemas['PublicThread'];
export type ThreadListQuery = QueryOf<Operation<paths, typeof THREADS, 'get'>>;
export type ThreadGetQuery = QueryOf<Operation<paths, typeof THREAD, 'get'>>;
export type ThreadPage = JsonResponseOf<Operation<paths, typeof THREADS, 'get'>, 200>;
export type ThreadUpdate = Schemas['PublicThreadUpdateRequest'];
export type Actor = JsonResponseOf<Operation<paths, typeof ACTOR, 'get'>, 200>;

/** Inboxes / help desks, threads and actors (spec 4.2, 10.1), with the portal's OAuth token. */
export class ConversationsApi {
  constructor(
    private readonly http: HubSpotHttp,
    private readonly portalId: string,
  ) {}

  listInboxes(query: InboxListQuery = {}): Promise<InboxPage> {
    return this.get(INBOXES, query);
  }

  getInbox(inboxId: string): Promise<Inbox> {
    return this.get(expandPath(INBOX, { inboxId }));
  }

  listThreads(query: ThreadListQuery = {}): Promise<ThreadPage> {
    return this.get(THREADS, query);
  }

  getThread(threadId: string, query: ThreadGetQuery = {}): Promise<Thread> {
    return this.get(expandPath(THREAD, { threadId }), query);
  }

  /** Opens or closes a thread (`{status}`), or restores it (`{archived:false}`). */
  updateThread(threadId: string, update: ThreadUpdate): Promise<Thread> {
    return this.http.json({
      method: 'PATCH',
      path: expandPath(THREAD, { threadId }),
      auth: { type: 'portal', portalId: this.portalId },
      json: update,
    });
  }

  getActor(actorId: string): Promise<Actor> {
    return this.get(expandPath(ACTOR, { actorId }));
  }

  private get<T>(path: string, query?: QueryInput): Promise<T> {
    return this.http.json({
      method: 'GET',
      path,
      query,
      auth: { type: 'portal', portalId: this.portalId },
    });
  }
}
