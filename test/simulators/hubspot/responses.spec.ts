import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadOpenApiDocs } from './openapi-docs';
import { resolveOptions } from './options';
import { type HubSpotSimulator, startHubSpotSimulator } from './server';
import { call, type Fixture, incoming, rec, setupChannel } from './test-helpers';

jest.setTimeout(30_000);

/** The simulator's answers must match HubSpot's documented response schemas. */
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('int32', true);
ajv.addFormat('int64', true);
// The documents as the simulator loads them: `capabilities` values are not objects (spec 3.2).
for (const { file, doc } of loadOpenApiDocs(resolveOptions())) ajv.addSchema({ ...doc, $id: file });

function schema(file: string, name: string): ValidateFunction {
  const v = ajv.getSchema(`${file}#/components/schemas/${name}`);
  if (!v) throw new Error(`no schema ${name} in ${file}`);
  return v;
}

function expectValid(file: string, name: string, body: unknown): void {
  const v = schema(file, name);
  const ok = v(body);
  if (!ok) throw new Error(`${name}: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body)}`);
}

describe('HubSpot simulator: responses conform to the OpenAPI documents', () => {
  let sim: HubSpotSimulator;
  let f: Fixture;

  beforeAll(async () => {
    sim = await startHubSpotSimulator({ port: 0 });
    f = await setupChannel(sim, { helpDesk: true });
  }, 60_000);
  afterAll(async () => {
    await sim.close();
  });

  it('custom channels, accounts, staging tokens and messages', async () => {
    const key = `hapikey=${sim.app.developerApiKey}`;
    const cc = 'custom-channels.v3.json';
    expectValid(
      cc,
      'PublicChannelIntegrationChannel',
      (await call(sim, 'GET', `/conversations/v3/custom-channels/${f.channelId}?${key}`)).body,
    );
    expectValid(
      cc,
      'CollectionResponseWithTotalPublicChannelIntegrationChannel',
      (await call(sim, 'GET', `/conversations/v3/custom-channels?${key}&appId=${sim.app.appId}`))
        .body,
    );
    const base = `/conversations/v3/custom-channels/${f.channelId}`;
    expectValid(
      cc,
      'PublicChannelAccount',
      (await call(sim, 'GET', `${base}/channel-accounts/${f.accountId}`, { token: f.token })).body,
    );
    expectValid(
      cc,
      'CollectionResponseWithTotalPublicChannelAccount',
      (await call(sim, 'GET', `${base}/channel-accounts`, { token: f.token })).body,
    );
    const { accountToken } = sim.control.connectUrl(f.channelId, { portalId: f.portalId });
    const staging = await call(
      sim,
      'PATCH',
      `${base}/channel-account-staging-tokens/${accountToken}`,
      {
        token: f.token,
        body: {
          accountName: 'x',
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot-2' },
        },
      },
    );
    expectValid(cc, 'PublicChannelAccountStagingToken', staging.body);
    const published = await call(sim, 'POST', `${base}/messages`, {
      token: f.token,
      body: incoming(f),
    });
    expectValid(cc, 'PublicConversationsMessage', published.body);
    const { message } = sim.control.agentReply(String(rec(published.body).conversationsThreadId), {
      text: 'hi',
    });
    const patched = await call(sim, 'PATCH', `${base}/messages/${message.id}`, {
      token: f.token,
      body: { statusType: 'FAILED', errorMessage: 'nope' },
    });
    expectValid(cc, 'PublicConversationsMessage', patched.body);
  });

  it('conversations, files, tickets, owners, associations and OAuth', async () => {
    const published = rec(
      (
        await call(sim, 'POST', `/conversations/v3/custom-channels/${f.channelId}/messages`, {
          token: f.token,
          body: incoming(f, { integrationThreadId: 'resp' }),
        })
      ).body,
    );
    const threadId = String(published.conversationsThreadId);
    const conv = 'conversations.v3.json';
    expectValid(
      conv,
      'PublicThread',
      (
        await call(
          sim,
          'GET',
          `/conversations/v3/conversations/threads/${threadId}?association=TICKET`,
          { token: f.token },
        )
      ).body,
    );
    expectValid(
      conv,
      'CollectionResponsePublicThreadForwardPaging',
      (await call(sim, 'GET', '/conversations/v3/conversations/threads', { token: f.token })).body,
    );
    expectValid(
      conv,
      'CollectionResponseWithTotalPublicInbox',
      (await call(sim, 'GET', '/conversations/v3/conversations/inboxes', { token: f.token })).body,
    );
    const file = sim.control.uploadFile({
      portalId: f.portalId,
      name: 'a.pdf',
      contentType: 'application/pdf',
      content: Buffer.from('%PDF'),
    });
    expectValid(
      'files.v3.json',
      'File',
      (await call(sim, 'GET', `/files/v3/files/${file.id}`, { token: f.token })).body,
    );
    expectValid(
      'files.v3.json',
      'SignedUrl',
      (await call(sim, 'GET', `/files/v3/files/${file.id}/signed-url`, { token: f.token })).body,
    );
    const ticketId = sim.state.threads.get(threadId)?.ticketId ?? '';
    expectValid(
      'tickets.v3.json',
      'SimplePublicObjectWithAssociations',
      (
        await call(
          sim,
          'GET',
          `/crm/v3/objects/tickets/${ticketId}?properties=subject,content&associations=contacts`,
          {
            token: f.token,
          },
        )
      ).body,
    );
    expectValid(
      'owners.v3.json',
      'CollectionResponsePublicOwnerForwardPaging',
      (await call(sim, 'GET', '/crm/v3/owners', { token: f.token })).body,
    );
    const contact = sim.control.seedContact({ portalId: f.portalId, email: 'c@example.com' });
    await call(
      sim,
      'PUT',
      `/crm/v4/objects/tickets/${ticketId}/associations/contacts/${contact.id}`,
      { token: f.token, body: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 16 }] },
    );
    expectValid(
      'associations.v4.json',
      'CollectionResponseMultiAssociatedObjectWithLabelForwardPaging',
      (
        await call(sim, 'GET', `/crm/v4/objects/tickets/${ticketId}/associations/contacts`, {
          token: f.token,
        })
      ).body,
    );
    expectValid(
      'oauth.v1.json',
      'AccessTokenInfoResponse',
      (await call(sim, 'GET', `/oauth/v1/access-tokens/${f.token}`)).body,
    );
    const res = await fetch(`${sim.baseUrl}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: sim.app.clientId,
        client_secret: sim.app.clientSecret,
        refresh_token: f.refreshToken,
      }).toString(),
    });
    expectValid('oauth.v1.json', 'AccessTokenResponse', await res.json());
    const err = await call(sim, 'GET', '/conversations/v3/conversations/inboxes');
    expectValid(conv, 'Error', err.body);
  });
});
