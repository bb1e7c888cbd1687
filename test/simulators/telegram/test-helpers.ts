/** Helpers shared by the simulator's own specs (raw Bot API calls over real HTTP). */
export interface ApiResponse {
  status: number;
  body: {
    ok: boolean;
    result?: unknown;
    error_code?: number;
    description?: string;
    parameters?: { retry_after?: number; migrate_to_chat_id?: number };
  };
}

export type Encoding = 'json' | 'form' | 'query' | 'multipart';

export interface FilePart {
  name: string;
  fileName: string;
  data: Buffer;
  contentType?: string;
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export async function callApi(
  baseUrl: string,
  token: string,
  method: string,
  params: Record<string, unknown> = {},
  options: { encoding?: Encoding; files?: FilePart[]; httpMethod?: 'GET' | 'POST' } = {},
): Promise<ApiResponse> {
  const encoding = options.encoding ?? (options.files ? 'multipart' : 'json');
  let url = `${baseUrl}/bot${token}/${method}`;
  const init: RequestInit = { method: options.httpMethod ?? 'POST' };
  if (encoding === 'json') {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(params);
  } else if (encoding === 'form') {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) form.set(k, stringify(v));
    init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
    init.body = form.toString();
  } else if (encoding === 'query') {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) query.set(k, stringify(v));
    url += `?${query.toString()}`;
    init.method = options.httpMethod ?? 'GET';
  } else {
    const form = new FormData();
    for (const [k, v] of Object.entries(params)) form.set(k, stringify(v));
    for (const f of options.files ?? []) {
      form.set(
        f.name,
        new Blob([f.data], { type: f.contentType ?? 'application/octet-stream' }),
        f.fileName,
      );
    }
    init.body = form;
  }
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as ApiResponse['body'] };
}

/** A 1x1 PNG (real header, so the simulator can read its dimensions). */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
