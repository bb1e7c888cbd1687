import { PermanentError } from '../../src/core/adapter';
import type { ChannelAccount } from '../../src/core/persistence/models/channel-account.model';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import { ConversationRepository } from '../../src/core/persistence/repositories/conversation.repository';
import { JobQueue } from '../../src/core/queue/job-queue';
import { AccountDirectory } from '../../src/core/plugins/account-directory';
import { AdapterSupervisor } from '../../src/core/plugins/adapter-supervisor';
import { freePort } from '../support/gateway-process';
import { eventually, startTestGateway, type TestGateway } from '../support/test-gateway';

jest.setTimeout(60_000);

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

describe('admin API', () => {
  let gateway: TestGateway;
  let failNext = true;
  const handled: string[] = [];

  beforeAll(async () => {
    gateway = await startTestGateway({ env: { ADMIN_TOKEN } });
    gateway.app.get(JobQueue).registerHandler<{ n: number }>('admin-test', async (payload) => {
      if (failNext) throw new PermanentError(`recipient blocked (job ${payload.n})`);
      handled.push(`job ${payload.n}`);
    });
  });

  afterAll(() => gateway?.close());

  const get = (path: string, token = ADMIN_TOKEN) =>
    fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('rejects a missing or wrong token', async () => {
    expect((await fetch(`${gateway.url}/admin/accounts`)).status).toBe(401);
    expect((await get('/admin/accounts', 'wrong-token-wrong-token')).status).toBe(401);
    expect((await get('/admin/accounts')).status).toBe(200);
  });

  it('lists a dead-lettered job with its last error and replays it once', async () => {
    await gateway.app.get(JobQueue).enqueue('admin-test', { n: 7 }, { orderingKey: 'conv-1' });
    const letter = await eventually(async () => {
      const list = (await (await get('/admin/dead-letters?queue=admin-test')).json()) as {
        id: string;
        lastError: string;
        permanent: boolean;
        payload: unknown;
      }[];
      return list[0];
    });
    expect(letter).toMatchObject({
      lastError: expect.stringContaining('recipient blocked (job 7)'),
      permanent: true,
      payload: { n: 7 },
    });

    failNext = false;
    const replay = await fetch(`${gateway.url}/admin/dead-letters/${letter.id}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(replay.status).toBe(202);
    await eventually(() => (handled.includes('job 7') ? true : undefined));

    const again = await fetch(`${gateway.url}/admin/dead-letters/${letter.id}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(again.status).toBe(404);
    const open = (await (await get('/admin/dead-letters?queue=admin-test')).json()) as unknown[];
    expect(open).toEqual([]);
  });

  describe('conversations', () => {
    interface ConversationView {
      id: string;
      adapter: string | null;
      accountId: string;
      externalId: string;
      status: string;
      hubspotThreadId: string | null;
      hubspotTicketId: string | null;
      [key: string]: unknown;
    }
    let echoAccount: ChannelAccount;
    let otherAccount: ChannelAccount;
    /** Conversation ids by external id. */
    const ids = new Map<string, string>();

    const list = async (query: string): Promise<ConversationView[]> => {
      const response = await get(`/admin/conversations${query}`);
      expect(response.status).toBe(200);
      return (await response.json()) as ConversationView[];
    };

    beforeAll(async () => {
      const accounts = gateway.app.get(ChannelAccountRepository);
      const conversations = gateway.app.get(ConversationRepository);
      echoAccount = await accounts.create({
        adapterId: 'echo',
        name: 'Echo shop',
        credentials: { token: 'echo_secret_token' },
      });
      otherAccount = await accounts.create({
        adapterId: 'telegram',
        name: 'Telegram shop',
        credentials: { botToken: '123:secret' },
      });
      // Distinct update times, so that "most recently updated first" is deterministic.
      const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 10, minute));
      const seed = async (accountId: string, externalId: string, minute: number) => {
        const { conversation } = await conversations.findOrCreate(
          accountId,
          { externalId, title: `Chat ${externalId}`, isGroup: externalId.startsWith('group') },
          at(minute),
        );
        ids.set(externalId, conversation.id);
        return conversation.id;
      };
      const linked = await seed(echoAccount.id, 'chat-a', 1);
      await conversations.linkThread(
        linked,
        { hubspotThreadId: '9001', integrationThreadId: 'itid-a' },
        at(2),
      );
      await conversations.linkTicket(linked, '7001', at(3));
      await conversations.touch(linked, at(3), 'INCOMING', at(3));
      const closed = await seed(echoAccount.id, 'chat-b', 4);
      await conversations.setStatus(closed, 'CLOSED', at(5));
      await seed(echoAccount.id, 'group-c', 6);
      await seed(otherAccount.id, 'chat-d', 7);
    });

    it('needs the admin token', async () => {
      expect((await fetch(`${gateway.url}/admin/conversations`)).status).toBe(401);
      expect((await get('/admin/conversations', 'wrong-token-wrong-token')).status).toBe(401);
    });

    it('answers each conversation with its adapter, HubSpot thread and ticket', async () => {
      const page = await list(`?account=${echoAccount.id}`);
      expect(page.map((c) => c.externalId)).toEqual(['group-c', 'chat-b', 'chat-a']);
      expect(page[2]).toEqual({
        id: ids.get('chat-a'),
        adapter: 'echo',
        accountId: echoAccount.id,
        externalId: 'chat-a',
        title: 'Chat chat-a',
        isGroup: false,
        status: 'OPEN',
        hubspotThreadId: '9001',
        hubspotTicketId: '7001',
        integrationThreadId: 'itid-a',
        lastMessageAt: '2026-11-28T10:03:00.000Z',
        lastInboundAt: '2026-11-28T10:03:00.000Z',
        createdAt: '2026-11-28T10:01:00.000Z',
        updatedAt: '2026-11-28T10:03:00.000Z',
      });
      expect(page[0]).toMatchObject({
        isGroup: true,
        hubspotThreadId: null,
        hubspotTicketId: null,
        integrationThreadId: null,
        lastMessageAt: null,
      });
    });

    it('filters by adapter and status; an unknown adapter is an empty list', async () => {
      const echo = await list('?adapter=echo');
      expect(echo.map((c) => c.externalId).sort()).toEqual(['chat-a', 'chat-b', 'group-c']);
      expect(echo.every((c) => c.adapter === 'echo')).toBe(true);
      const telegram = await list('?adapter=telegram');
      expect(telegram).toEqual([
        expect.objectContaining({ externalId: 'chat-d', adapter: 'telegram' }),
      ]);
      expect(await list('?adapter=echo&status=CLOSED')).toEqual([
        expect.objectContaining({ externalId: 'chat-b', status: 'CLOSED' }),
      ]);
      const open = await list(`?account=${echoAccount.id}&status=OPEN`);
      expect(open.map((c) => c.externalId)).toEqual(['group-c', 'chat-a']);
      expect(await list('?adapter=no-such-adapter')).toEqual([]);
    });

    it('pages with limit and offset', async () => {
      const all = await list(`?adapter=echo`);
      const first = await list(`?adapter=echo&limit=2`);
      const second = await list(`?adapter=echo&limit=2&offset=2`);
      expect(first.map((c) => c.id)).toEqual(all.slice(0, 2).map((c) => c.id));
      expect(second.map((c) => c.id)).toEqual(all.slice(2).map((c) => c.id));
      expect(await list(`?adapter=echo&offset=3`)).toEqual([]);
    });

    it.each([
      ['?status=open', 'status: must be OPEN or CLOSED'],
      ['?limit=0', 'limit: must be an integer from 1 to 500'],
      ['?limit=501', 'limit: must be an integer from 1 to 500'],
      ['?offset=-1', 'offset: must be an integer >= 0'],
      ['?status=OPEN&status=CLOSED', 'status: must be given once'],
    ])('answers 400 naming the parameter for %s', async (query, problem) => {
      const response = await get(`/admin/conversations${query}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { message: string[] };
      expect(body.message).toEqual([expect.stringContaining(problem)]);
    });
  });

  describe('accounts and their threading settings', () => {
    const put = (path: string, body: unknown, token = ADMIN_TOKEN) =>
      fetch(`${gateway.url}${path}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    let account: ChannelAccount;

    beforeAll(async () => {
      account = await gateway.app.get(ChannelAccountRepository).create({
        adapterId: 'echo',
        name: 'Threaded',
        credentials: { token: 'echo_very_secret_value' },
        settings: { language: 'de' },
      });
    });

    it('shows one account without credentials, with the threading in effect', async () => {
      const response = await get(`/admin/accounts/${account.id}`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain('echo_very_secret_value');
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(body).not.toHaveProperty('credentials');
      expect(body).toMatchObject({
        id: account.id,
        adapterId: 'echo',
        name: 'Threaded',
        settings: { language: 'de' },
        threading: { mode: 'continuous', silenceHours: 24 },
        receiving: { state: 'stopped' },
      });
      expect((await get('/admin/accounts/00000000-0000-0000-0000-000000000000')).status).toBe(404);
      expect((await fetch(`${gateway.url}/admin/accounts/${account.id}`)).status).toBe(401);
    });

    it('stores a threading setting next to the other settings', async () => {
      const response = await put(`/admin/accounts/${account.id}/threading`, {
        mode: 'after-silence',
        silenceHours: 6,
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain('echo_very_secret_value');
      expect(JSON.parse(text)).toMatchObject({
        settings: { language: 'de', threading: { mode: 'after-silence', silenceHours: 6 } },
        threading: { mode: 'after-silence', silenceHours: 6 },
      });
      const stored = await gateway.app.get(ChannelAccountRepository).findById(account.id);
      expect(stored?.settings).toEqual({
        language: 'de',
        threading: { mode: 'after-silence', silenceHours: 6 },
      });
      expect(stored?.credentials).toEqual({ token: 'echo_very_secret_value' });

      const again = await put(`/admin/accounts/${account.id}/threading`, {
        mode: 'after-ticket-closed',
      });
      expect(await again.json()).toMatchObject({
        settings: { threading: { mode: 'after-ticket-closed', silenceHours: 24 } },
      });
    });

    it.each([
      [
        { mode: 'weekly' },
        ['threading.mode: must be one of continuous, after-silence, after-ticket-closed'],
      ],
      [
        { mode: 'after-silence', silenceHours: 0.1 },
        ['threading.silenceHours: must be a number of hours between 0.5 and 8760'],
      ],
      [{ silenceHours: 3 }, ['threading.mode: required']],
      [{ mode: 'continuous', colour: 'red' }, ['threading.colour: unknown key']],
      [['continuous'], ['threading: must be an object']],
    ])('answers 400 with the problems for %j and stores nothing', async (body, problems) => {
      const before = await gateway.app.get(ChannelAccountRepository).findById(account.id);
      const response = await put(`/admin/accounts/${account.id}/threading`, body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { message: string[] };
      expect(answer.message).toEqual(problems.map((p) => expect.stringContaining(p)));
      const after = await gateway.app.get(ChannelAccountRepository).findById(account.id);
      expect(after?.settings).toEqual(before?.settings);
    });

    it('answers 404 for an unknown or deleted account and 401 without the token', async () => {
      const unknown = await put('/admin/accounts/00000000-0000-0000-0000-000000000000/threading', {
        mode: 'continuous',
      });
      expect(unknown.status).toBe(404);
      const accounts = gateway.app.get(ChannelAccountRepository);
      const gone = await accounts.create({ adapterId: 'echo', name: 'Gone', credentials: {} });
      await accounts.markDeleted(gone.id);
      expect(
        (await put(`/admin/accounts/${gone.id}/threading`, { mode: 'continuous' })).status,
      ).toBe(404);
      const anonymous = await put(
        `/admin/accounts/${account.id}/threading`,
        { mode: 'continuous' },
        'wrong-token-wrong-token',
      );
      expect(anonymous.status).toBe(401);
    });
  });
});

describe('admin API: plugin settings of an account', () => {
  let gateway: TestGateway;
  let account: ChannelAccount;
  const AUTH_TOKEN = 'twilio_auth_token_very_secret';

  const patch = (path: string, body: unknown, token = ADMIN_TOKEN) =>
    fetch(`${gateway.url}${path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const receivingSettings = () =>
    gateway.app.get(AdapterSupervisor).getAccountContext(account.id)?.settings;

  beforeAll(async () => {
    // The SMS plugin without a Twilio: setting the number's webhook fails (a warning), the
    // account still receives, which is all the settings need.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    gateway = await startTestGateway({
      env: { ADMIN_TOKEN },
      yaml: `adapters:\n  sms:\n    apiBaseUrl: ${nowhere}\n`,
    });
    const accounts = gateway.app.get(ChannelAccountRepository);
    account = await accounts.create({
      adapterId: 'sms',
      name: 'Toll-free line',
      status: 'active',
      credentials: {
        accountSid: `AC${'0'.repeat(32)}`,
        authToken: AUTH_TOKEN,
        from: '+18005550100',
      },
      settings: { language: 'de', threading: { mode: 'after-silence', silenceHours: 6 } },
    });
    await accounts.setAuthorized(account.id, true);
    const receiving = await gateway.app.get(AccountDirectory).findReceivingAccount(account.id);
    if (!receiving) throw new Error('the SMS account is not receivable');
    await gateway.app.get(AdapterSupervisor).startAccount(receiving);
    expect(receivingSettings()).toEqual(account.settings);
  });

  afterAll(() => gateway?.close());

  it('stores a declared setting next to the others and the adapter sees it at once', async () => {
    const response = await patch(`/admin/accounts/${account.id}/settings`, {
      messagesPerSecond: 3,
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(AUTH_TOKEN);
    const expected = {
      language: 'de',
      threading: { mode: 'after-silence', silenceHours: 6 },
      messagesPerSecond: 3,
    };
    expect(JSON.parse(text)).toMatchObject({
      id: account.id,
      settings: expected,
      threading: { mode: 'after-silence', silenceHours: 6 },
    });
    const stored = await gateway.app.get(ChannelAccountRepository).findById(account.id);
    expect(stored?.settings).toEqual(expected);
    expect(stored?.credentials.authToken).toBe(AUTH_TOKEN);
    // The receiving context was rebuilt with the new settings, not at the next reconcile.
    expect(receivingSettings()).toEqual(expected);

    const removed = await patch(`/admin/accounts/${account.id}/settings`, {
      messagesPerSecond: null,
    });
    expect(removed.status).toBe(200);
    const left = { language: 'de', threading: { mode: 'after-silence', silenceHours: 6 } };
    expect(((await removed.json()) as { settings: unknown }).settings).toEqual(left);
    expect(receivingSettings()).toEqual(left);
  });

  it.each([
    [
      { messagesPerSecond: 'x' },
      ['messagesPerSecond: must be a number between 0.01 and 10000 (got "x")'],
    ],
    [
      { messagesPerSecond: 0 },
      ['messagesPerSecond: must be a number between 0.01 and 10000 (got 0)'],
    ],
    [{ foo: 1 }, ['foo: unknown setting; settings of sms: messagesPerSecond']],
    [
      { threading: { mode: 'continuous' }, messagesPerSecond: 2 },
      [`threading: set it with PUT /admin/accounts/`],
    ],
    [[3], ['settings: must be a JSON object']],
  ])('answers 400 with the problems for %j and stores nothing', async (body, problems) => {
    const before = await gateway.app.get(ChannelAccountRepository).findById(account.id);
    const response = await patch(`/admin/accounts/${account.id}/settings`, body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { message: string[] };
    expect(answer.message).toEqual(problems.map((p) => expect.stringContaining(p)));
    const after = await gateway.app.get(ChannelAccountRepository).findById(account.id);
    expect(after?.settings).toEqual(before?.settings);
  });

  it('answers 404 for an unknown or deleted account, 409 without its plugin, 401 without the token', async () => {
    const body = { messagesPerSecond: 2 };
    const unknown = await patch(
      '/admin/accounts/00000000-0000-0000-0000-000000000000/settings',
      body,
    );
    expect(unknown.status).toBe(404);
    const accounts = gateway.app.get(ChannelAccountRepository);
    const gone = await accounts.create({ adapterId: 'sms', name: 'Gone', credentials: {} });
    await accounts.markDeleted(gone.id);
    expect((await patch(`/admin/accounts/${gone.id}/settings`, body)).status).toBe(404);
    const echo = await accounts.create({ adapterId: 'echo', name: 'Echo', credentials: {} });
    const notRunning = await patch(`/admin/accounts/${echo.id}/settings`, body);
    expect(notRunning.status).toBe(409);
    expect(JSON.stringify(await notRunning.json())).toContain('echo plugin is not running');
    const anonymous = await patch(
      `/admin/accounts/${account.id}/settings`,
      body,
      'wrong-token-wrong-token',
    );
    expect(anonymous.status).toBe(401);
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  it('is closed with a message saying how to open it', async () => {
    const gateway = await startTestGateway();
    try {
      for (const path of ['/admin/dead-letters', '/admin/conversations']) {
        const response = await fetch(`${gateway.url}${path}`, {
          headers: { authorization: 'Bearer anything-at-all-here' },
        });
        expect(response.status).toBe(403);
        expect(JSON.stringify(await response.json())).toContain('set ADMIN_TOKEN');
      }
    } finally {
      await gateway.close();
    }
  });
});
