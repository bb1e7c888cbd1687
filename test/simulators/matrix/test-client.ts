/** Minimal fetch-based Matrix client for the simulator's own tests (SDK-agnostic). */
export interface CallResult {
  status: number;
  json: Record<string, unknown>;
  /** The parsed body as is (arrays too). */
  data: unknown;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
}

export function enc(id: string): string {
  return encodeURIComponent(id);
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  o: CallOptions = {},
): Promise<CallResult> {
  const url = new URL(path, baseUrl);
  for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { ...o.headers };
  if (o.token !== undefined) headers.Authorization = `Bearer ${o.token}`;
  let body: string | Buffer | undefined = o.rawBody;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  let data: unknown = text;
  try {
    data = JSON.parse(text);
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      json = data as Record<string, unknown>;
    }
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json, data, headers: res.headers };
}

/** Bound client for one access token. */
export function clientFor(baseUrl: string, token?: string) {
  return (method: string, path: string, o: CallOptions = {}): Promise<CallResult> =>
    call(baseUrl, method, path, { token, ...o });
}

export const CS = '/_matrix/client/v3';
