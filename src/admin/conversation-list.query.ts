import type {
  ConversationFilter,
  ConversationStatus,
} from '../core/persistence/models/conversation.model';

export const CONVERSATION_PAGE_DEFAULT = 100;
export const CONVERSATION_PAGE_MAX = 500;

const STATUSES: readonly ConversationStatus[] = ['OPEN', 'CLOSED'];

/** The raw query string of `GET /admin/conversations` as express parses it. */
export type RawQuery = Record<string, unknown>;

/**
 * Checks `adapter`, `account`, `status`, `limit` and `offset`; each problem names its parameter
 * (`status: must be OPEN or CLOSED (got "open")`). Other parameters are ignored.
 */
export function parseConversationListQuery(query: RawQuery): {
  filter: ConversationFilter & { limit: number; offset: number };
  problems: string[];
} {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      problems.push(`${name}: must be given once, as a plain value`);
      return undefined;
    }
    return value;
  };
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const value = text(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      problems.push(`${name}: must be an integer ${range} (got ${JSON.stringify(value)})`);
      return fallback;
    }
    return parsed;
  };

  const filter: ConversationFilter & { limit: number; offset: number } = {
    limit: integer('limit', 1, CONVERSATION_PAGE_MAX, CONVERSATION_PAGE_DEFAULT),
    offset: integer('offset', 0, Number.MAX_SAFE_INTEGER, 0),
  };
  const adapter = text('adapter');
  if (adapter !== undefined && adapter !== '') filter.adapterId = adapter;
  const account = text('account');
  if (account !== undefined && account !== '') filter.accountId = account;
  const status = text('status');
  if (status !== undefined) {
    if (STATUSES.includes(status as ConversationStatus)) {
      filter.status = status as ConversationStatus;
    } else {
      problems.push(`status: must be OPEN or CLOSED (got ${JSON.stringify(status)})`);
    }
  }
  return { filter, problems };
}
