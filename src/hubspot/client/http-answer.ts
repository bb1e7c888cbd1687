import { Agent, request } from 'undici';

/** What the client reads of an HTTP answer, whether fetch or undici's `request` got it. */
export interface HttpAnswer {
  status: number;
  headers: Pick<Headers, 'get'>;
  /** The whole body as text. */
  text(): Promise<string>;
  /** Drops the unread body (frees the connection). */
  discard(): Promise<void>;
  /** The fetch Response itself, for answers handed back with the body unread (downloads). */
  response?: Response;
}

export function answerOfResponse(response: Response): HttpAnswer {
  return {
    status: response.status,
    headers: response.headers,
    text: () => response.text(),
    discard: async () => {
      await response.body?.cancel().catch(() => undefined);
    },
    response,
  };
}

/**
 * Keep-alive connections for the client's JSON requests (one pool per origin), as fetch's global
 * dispatcher keeps them. Idle sockets do not keep the process alive.
 */
const dispatcher = new Agent({ keepAliveTimeout: 10_000 });

/**
 * A request with a text body whose answer is read whole: undici's `request`, the library behind
 * Node's fetch without the WHATWG Request/Response/stream objects around it. Publishing a message
 * is the gateway's most frequent call; through fetch it cost 9 to 14 % of the main thread in
 * `npm run bench:e2e`, and much of the garbage whose collections make the latency's tail.
 * Redirects are not followed (as fetch with `redirect: 'manual'`).
 */
export async function requestText(
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
): Promise<HttpAnswer> {
  const answer = await request(url, {
    method: init.method as 'GET',
    headers: init.headers,
    body: init.body,
    signal: init.signal,
    dispatcher,
  });
  const headers = answer.headers;
  return {
    status: answer.statusCode,
    headers: {
      get(name: string): string | null {
        const value = headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: () => answer.body.text(),
    discard: async () => {
      await answer.body.dump().catch(() => undefined);
    },
  };
}
