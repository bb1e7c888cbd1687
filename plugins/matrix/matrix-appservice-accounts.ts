/**
 * Which appservice receiver answers a homeserver request for an account, in this process:
 *
 * - the account receives here (startReceiving): its receiver;
 * - another gateway process receives for it (this one never started it, or handed it over): the
 *   homeserver's transactions may still arrive here through a load balancer, so a standby
 *   receiver handles them — the processed txnIds live in the shared account state;
 * - this process stopped it (stopReceiving without handover): 503 for that account context, so
 *   that nothing is emitted after stopReceiving; the homeserver keeps the transaction.
 */
import type {
  AccountContext,
  AdapterWebhookRequest,
  AdapterWebhookResponse,
} from '../../src/core/adapter';
import {
  MatrixAppserviceReceiver,
  notReceiving,
  type AppserviceOptions,
} from './matrix-appservice';
import { rejectUnlessHsToken, routeAppserviceRequest } from './matrix-appservice-routes';
import { whoami } from './matrix-credentials';
import type { MatrixHttpClient } from './matrix-http';

export class MatrixAppserviceAccounts {
  private readonly receiving = new Map<string, MatrixAppserviceReceiver>();
  private readonly standby = new Map<string, Promise<MatrixAppserviceReceiver>>();
  private readonly stopped = new Map<string, AccountContext>();

  constructor(
    private readonly options: AppserviceOptions,
    private readonly clientFor: (account: AccountContext) => MatrixHttpClient,
  ) {}

  has(accountId: string): boolean {
    return this.receiving.has(accountId);
  }

  async start(account: AccountContext, client: MatrixHttpClient, userId: string): Promise<void> {
    await this.dropStandby(account.accountId);
    this.stopped.delete(account.accountId);
    this.receiving.set(
      account.accountId,
      new MatrixAppserviceReceiver(account, client, userId, this.options),
    );
  }

  /** Waits for the transaction in progress. `handover`: another process receives now. */
  async stop(accountId: string, handover: boolean): Promise<void> {
    const receiver = this.receiving.get(accountId);
    this.receiving.delete(accountId);
    await receiver?.stop();
    const standby = await this.dropStandby(accountId);
    const context = receiver?.account ?? standby?.account;
    if (context && !handover) this.stopped.set(accountId, context);
  }

  async shutdown(): Promise<void> {
    const ids = new Set([...this.receiving.keys(), ...this.standby.keys()]);
    await Promise.all([...ids].map((id) => this.stop(id, true)));
  }

  async handle(
    account: AccountContext,
    request: AdapterWebhookRequest,
  ): Promise<AdapterWebhookResponse> {
    const rejected = rejectUnlessHsToken(request, account.credentials.hsToken);
    if (rejected) return rejected;
    const route = routeAppserviceRequest(request);
    if (route.kind === 'answer') return route.response;
    // The homeserver's ping checks url and hs_token; it works before receiving starts too.
    if (route.kind === 'ping') return { status: 200, body: {} };
    const receiver = await this.receiverFor(account);
    if (!receiver) return notReceiving();
    return receiver.transaction(route.txnId, request.rawBody);
  }

  private async receiverFor(
    account: AccountContext,
  ): Promise<MatrixAppserviceReceiver | undefined> {
    const receiving = this.receiving.get(account.accountId);
    if (receiving) return receiving;
    if (this.stopped.get(account.accountId) === account) return undefined;
    try {
      return await this.standbyFor(account);
    } catch (error) {
      account.logger.warn('matrix: cannot handle a transaction for an account received elsewhere', {
        error: String(error),
      });
      return undefined;
    }
  }

  private standbyFor(account: AccountContext): Promise<MatrixAppserviceReceiver> {
    const existing = this.standby.get(account.accountId);
    if (existing) {
      return existing.then((receiver) => {
        if (receiver.account === account) return receiver;
        // Credentials or settings changed: a new context, a new receiver.
        this.standby.delete(account.accountId);
        void receiver.stop();
        return this.standbyFor(account);
      });
    }
    const client = this.clientFor(account);
    const created = whoami(client).then(
      (userId) => new MatrixAppserviceReceiver(account, client, userId, this.options),
    );
    this.standby.set(account.accountId, created);
    created.catch(() => {
      if (this.standby.get(account.accountId) === created) this.standby.delete(account.accountId);
    });
    return created;
  }

  private async dropStandby(accountId: string): Promise<MatrixAppserviceReceiver | undefined> {
    const standby = this.standby.get(accountId);
    this.standby.delete(accountId);
    const receiver = await standby?.catch(() => undefined);
    await receiver?.stop();
    return receiver;
  }
}
