/**
 * A small client of the Echo platform's control API, as another test process would use it.
 */
import type { SentMessageView } from '../echo-platform';
import type { EchoAccountInfo } from '../echo-platform.types';

export class EchoControlClient {
  constructor(readonly baseUrl: string) {}

  createAccount(name?: string): Promise<EchoAccountInfo & { token: string }> {
    return this.post('/control/accounts', name ? { name } : {});
  }

  revokeAccount(accountId: string): Promise<unknown> {
    return this.call('DELETE', `/control/accounts/${accountId}`);
  }

  sent(accountId: string): Promise<SentMessageView[]> {
    return this.call('GET', `/control/accounts/${accountId}/sent`);
  }

  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    return this.call('POST', path, body);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: unknown = await response.json();
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json as T;
  }
}
