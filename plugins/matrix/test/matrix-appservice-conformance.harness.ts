/**
 * The conformance harness for appservice mode: one application-service registration per account
 * on the Matrix simulator, made with the plugin's own registration builder in the two steps an
 * operator takes — first with `url: null` (so that the as_token passes whoami when the account is
 * connected), then, once the kit named the account's webhook URL, with `url` set to it.
 */
import type { Credentials } from '../../../src/core/adapter';
import type { ConformanceHarness, HarnessAccount } from '../../../test/conformance';
import {
  startMatrixSimulator,
  type MatrixSimulator,
  type TransactionRecord,
} from '../../../test/simulators/matrix';
import { buildRegistration, newToken, type AppserviceRegistration } from '../matrix-registration';
import {
  inject,
  receivedMessages,
  sendFault,
  type MatrixHarnessAccount,
} from './matrix-conformance.harness';

export interface MatrixAppserviceHarnessAccount extends MatrixHarnessAccount {
  registration: AppserviceRegistration;
  webhookUrl?: string;
}

export function createMatrixAppserviceConformanceHarness(): ConformanceHarness<MatrixAppserviceHarnessAccount> & {
  simulator(): MatrixSimulator;
} {
  let sim: MatrixSimulator | undefined;
  let sequence = 0;
  const simulator = (): MatrixSimulator => {
    if (!sim) throw new Error('harness not started');
    return sim;
  };
  const register = (prefix: string): AppserviceRegistration =>
    simulator().registerAppservice(
      buildRegistration({
        id: `conformance${prefix}`,
        url: null,
        asToken: newToken(),
        hsToken: newToken(),
        prefix,
        serverName: 'localhost',
      }),
    ) as AppserviceRegistration;

  return {
    simulator,
    async start() {
      sim = await startMatrixSimulator({
        serverName: 'localhost',
        appservicePush: {
          initialBackoffMs: 50,
          maxBackoffMs: 400,
          requestTimeoutMs: 5000,
          ephemeralKeys: 'both',
          maxEventsPerTransaction: 100,
        },
      });
    },
    async stop() {
      await sim?.close();
    },
    pluginSettings: () => ({ mode: 'appservice' }),
    async createAccount() {
      const n = ++sequence;
      const registration = register(`_conf${n}_`);
      const botId = `@${registration.sender_localpart}:localhost`;
      const customer = simulator().createUser({
        user: `ascustomer${n}`,
        displayName: `Customer ${n}`,
      });
      // The bot is in the room already: events before the registration has a url are not pushed.
      const { roomId } = simulator().createRoom({
        creator: customer.userId,
        isDirect: true,
        invite: [botId],
        join: [botId],
      });
      return {
        credentials: {
          homeserverUrl: simulator().baseUrl,
          accessToken: registration.as_token,
          hsToken: registration.hs_token,
        },
        userId: botId,
        accessToken: registration.as_token,
        customerId: customer.userId,
        roomId,
        registration,
      };
    },
    async accountConnected(account, { webhookUrl }) {
      account.webhookUrl = webhookUrl;
      simulator().registerAppservice({ ...account.registration, url: webhookUrl });
    },
    async invalidCredentials(): Promise<Credentials[]> {
      const homeserverUrl = simulator().baseUrl;
      const removed = register(`_gone${++sequence}_`);
      simulator().removeAppservice(removed.id);
      const live = register(`_nohs${++sequence}_`);
      return [
        { homeserverUrl, accessToken: newToken(), hsToken: newToken() },
        { homeserverUrl, accessToken: removed.as_token, hsToken: removed.hs_token },
        // A valid as_token, but without the hs_token the gateway could not check transactions.
        { homeserverUrl, accessToken: live.as_token },
      ];
    },
    async settle(account) {
      // The bot's own sends come back as transactions too; wait until the account's registration
      // has nothing in flight twice in a row (a new event becomes a transaction within a tick).
      const deadline = Date.now() + 3000;
      let quiet = 0;
      while (quiet < 2) {
        if (Date.now() > deadline)
          throw new Error('the homeserver still has transactions in flight');
        await new Promise((resolve) => setTimeout(resolve, 25));
        const pending = simulator()
          .transactions(account.registration.id)
          .some((t) => !t.delivered);
        quiet = pending ? 0 : quiet + 1;
      }
    },
    async injectCustomerEvent(account, event) {
      const recorded = inject(simulator(), account, event);
      return { externalMessageId: recorded?.event.event_id };
    },
    /**
     * A lost acknowledgement: the homeserver resends the identical transaction (same txnId),
     * which the adapter must acknowledge without emitting again; then the event arrives once more
     * in a new transaction, which the adapter emits again with the same eventId (the gateway's
     * dedupe drops it). Only the second delivery produces an event.
     */
    async redeliverLastEvent(account) {
      await simulator().waitForTransactions(3000);
      const last = simulator()
        .events(account.roomId)
        .filter((e) => e.source === 'control')
        .pop();
      const txn = last && transactionWith(simulator(), account, last.event.event_id);
      if (!last || !txn) throw new Error('nothing to redeliver');
      const event = (txn.body.events as { event_id?: string }[]).find(
        (e) => e.event_id === last.event.event_id,
      );
      const again = await putTransaction(account, txn.txnId, txn.body);
      if (again.status !== 200) throw new Error(`the repeated transaction got ${again.status}`);
      const fresh = await putTransaction(account, `redelivered-${++sequence}`, { events: [event] });
      if (fresh.status !== 200) throw new Error(`the new transaction got ${fresh.status}`);
    },
    async receivedMessages(account) {
      return receivedMessages(simulator(), account);
    },
    async failNextSend(_account, failure) {
      simulator().addFault(sendFault(failure));
    },
  };
}

function transactionWith(
  sim: MatrixSimulator,
  account: MatrixAppserviceHarnessAccount,
  eventId: string,
): TransactionRecord | undefined {
  return sim
    .transactions(account.registration.id)
    .filter((t) => t.delivered)
    .find((t) => (t.body.events as { event_id?: string }[]).some((e) => e.event_id === eventId));
}

/** What the homeserver does: PUT a transaction to the registration's url with the hs_token. */
function putTransaction(
  account: MatrixAppserviceHarnessAccount & HarnessAccount,
  txnId: string,
  body: unknown,
): Promise<Response> {
  if (!account.webhookUrl) throw new Error('the account was not connected');
  return fetch(`${account.webhookUrl}/_matrix/app/v1/transactions/${encodeURIComponent(txnId)}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${account.registration.hs_token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}
