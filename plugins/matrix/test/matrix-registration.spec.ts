import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { InMemoryAccountContext, RecordingLogger, WebhookRelay } from '../../../test/conformance';
import { startMatrixSimulator, type MatrixSimulator } from '../../../test/simulators/matrix';
import { matrixRegistrationCommand } from '../matrix-registration.command';
import {
  appserviceUrl,
  buildRegistration,
  newToken,
  parseRegistration,
  registrationYaml,
  type AppserviceRegistration,
} from '../matrix-registration';
import { MatrixAdapter } from '../matrix.adapter';
import { MatrixSettings } from '../matrix.settings';

const settings = (mode?: 'bot' | 'appservice') => Object.assign(new MatrixSettings(), { mode });

/** Runs the command like the CLI does and returns its exit code and output. */
async function runCommand(
  args: string[],
  mode: 'bot' | 'appservice' = 'appservice',
): Promise<{ code: number; text: string; registration: AppserviceRegistration }> {
  const lines: string[] = [];
  const code = await matrixRegistrationCommand.run(args, {
    settings: settings(mode),
    publicUrl: 'https://gateway.example.com/',
    out: (line) => lines.push(line),
  });
  const text = lines.join('\n');
  return { code, text, registration: parse(text) as AppserviceRegistration };
}

function tempFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'matrix-reg-')), 'registration.yaml');
  writeFileSync(path, content);
  return path;
}

describe('appservice registration (pure)', () => {
  const registration = buildRegistration({
    id: 'hubspot-gateway',
    url: null,
    asToken: newToken(),
    hsToken: newToken(),
    prefix: '_hubspot_',
    serverName: 'example.org',
  });
  const users = new RegExp(`^(?:${registration.namespaces.users[0].regex})$`);

  it('has random 64-hex tokens, different from each other', () => {
    expect(registration.as_token).toMatch(/^[0-9a-f]{64}$/);
    expect(registration.hs_token).toMatch(/^[0-9a-f]{64}$/);
    expect(registration.as_token).not.toBe(registration.hs_token);
    expect(newToken()).not.toBe(newToken());
  });

  it('claims the bot and the prefix exclusively on its own server only', () => {
    expect(registration.sender_localpart).toBe('_hubspot_bot');
    expect(registration.namespaces.users[0].exclusive).toBe(true);
    expect(users.test('@_hubspot_bot:example.org')).toBe(true);
    expect(users.test('@_hubspot_1234:example.org')).toBe(true);
    expect(users.test('@alice:example.org')).toBe(false);
    expect(users.test('@_hubspot_bot:evil.org')).toBe(false);
    expect(users.test('@_hubspot_bot:exampleXorg')).toBe(false);
    expect(registration).toMatchObject({
      rate_limited: false,
      receive_ephemeral: true,
      'de.sorunome.msc2409.push_ephemeral': true,
      namespaces: { aliases: [], rooms: [] },
    });
  });

  it('prints YAML that reads back unchanged, comments on top', () => {
    const text = registrationYaml(registration, ['line one', '', 'line two']);
    expect(text.startsWith('# line one\n#\n# line two\n')).toBe(true);
    expect(parse(text)).toEqual(registration);
    expect(parseRegistration(text)).toEqual(registration);
  });

  it('builds the account webhook URL', () => {
    expect(appserviceUrl('https://gw.example.com//', 'a b')).toBe(
      'https://gw.example.com/adapters/matrix/a%20b',
    );
    expect(() => appserviceUrl('gw.example.com', 'x')).toThrow(/http/);
  });

  it('refuses a prefix that is no localpart, and incomplete files', () => {
    expect(() =>
      buildRegistration({ id: 'x', url: null, asToken: 'a', hsToken: 'h', prefix: 'Bad Prefix' }),
    ).toThrow(/localpart/);
    expect(() => parseRegistration('id: x\nas_token: a\n')).toThrow(/hs_token/);
    expect(() => parseRegistration('- a list')).toThrow(/mapping/);
    expect(() => parseRegistration('id: [unclosed')).toThrow(/YAML/);
    const noUrl = parseRegistration(
      'id: x\nas_token: a\nhs_token: h\nsender_localpart: b\nnamespaces: {}\nextra: kept\n',
    );
    expect(noUrl).toMatchObject({ url: null, extra: 'kept' });
  });
});

describe('matrix:registration command', () => {
  it('step 1: a new registration with url null and the instructions as comments', async () => {
    const { code, text, registration } = await runCommand(['--server-name', 'example.org']);
    expect(code).toBe(0);
    expect(registration).toMatchObject({
      id: 'hubspot-gateway',
      url: null,
      sender_localpart: '_hubspot_bot',
      namespaces: { users: [{ exclusive: true, regex: '@_hubspot_.*:example\\.org' }] },
    });
    expect(text).toContain('# Then connect the channel in HubSpot');
    expect(text).toContain('--from <this file> --account <account id>');
    expect(text).not.toContain('NOTE: adapters.matrix.mode');
  });

  it('step 2: --from keeps id, tokens and namespaces and sets url to the account webhook', async () => {
    const first = await runCommand(['--id', 'support', '--prefix', '_support_']);
    const path = tempFile(first.text);
    const second = await runCommand(['--from', path, '--account', 'acc-1']);
    expect(second.code).toBe(0);
    expect(second.registration).toEqual({
      ...first.registration,
      url: 'https://gateway.example.com/adapters/matrix/acc-1',
    });
    expect(second.text).toContain("the gateway account's webhook URL");
    const internal = await runCommand([
      '--from',
      path,
      '--account',
      'acc-1',
      '--gateway-url',
      'http://gateway:3000',
    ]);
    expect(internal.registration.url).toBe('http://gateway:3000/adapters/matrix/acc-1');
  });

  it('notes when the gateway is not configured for appservice mode', async () => {
    const { text } = await runCommand([], 'bot');
    expect(text).toContain('NOTE: adapters.matrix.mode is not "appservice"');
  });

  it('refuses contradictory or unknown options with a readable error', async () => {
    const path = tempFile((await runCommand([])).text);
    await expect(runCommand(['--account', 'acc-1'])).rejects.toThrow(/--from/);
    await expect(runCommand(['--from', path, '--id', 'other'])).rejects.toThrow(/drop --id/);
    await expect(runCommand(['--gateway-url', 'http://x'])).rejects.toThrow(/--account/);
    await expect(runCommand(['--bogus'])).rejects.toThrow(/bogus/);
    await expect(runCommand(['--from', join(tmpdir(), 'no-such-file.yaml')])).rejects.toThrow(
      /cannot read/,
    );
  });

  it('prints its usage with --help', async () => {
    const lines: string[] = [];
    const code = await matrixRegistrationCommand.run(['--help'], {
      settings: settings('appservice'),
      publicUrl: 'http://x',
      out: (line) => lines.push(line),
    });
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('usage: npm run gateway -- matrix:registration');
  });
});

describe('the printed registration on a homeserver (simulator), both steps', () => {
  let sim: MatrixSimulator;
  let relay: WebhookRelay;
  let adapter: MatrixAdapter;

  beforeAll(async () => {
    sim = await startMatrixSimulator({ serverName: 'localhost' });
    adapter = new MatrixAdapter({
      settings: settings('appservice'),
      publicUrl: 'http://x',
      logger: new RecordingLogger(),
    });
    relay = new WebhookRelay('matrix', () => adapter);
    await relay.start();
  });
  afterAll(async () => {
    await adapter.shutdown();
    await relay.stop();
    await sim.close();
  });

  it('is accepted by the spec schema, connects the account, then receives once url is set', async () => {
    const first = await runCommand(['--server-name', 'localhost']);
    // The simulator validates registrations against the spec's registration.yaml.
    sim.registerAppservice(first.registration);
    const credentials = {
      homeserverUrl: sim.baseUrl,
      accessToken: first.registration.as_token,
      hsToken: first.registration.hs_token,
    };
    const identity = await adapter.validateCredentials(credentials);
    expect(identity.deliveryIdentifier.value).toBe('@_hubspot_bot:localhost');

    // The account exists now (its id is the gateway's); step 2 points the registration at it.
    const context = new InMemoryAccountContext({
      accountId: 'acc-reg',
      credentials,
      settings: {},
      webhookUrl: relay.webhookUrl('acc-reg'),
    });
    relay.register(context);
    const lines: string[] = [];
    await matrixRegistrationCommand.run(['--from', tempFile(first.text), '--account', 'acc-reg'], {
      settings: settings('appservice'),
      publicUrl: relay.url,
      out: (l) => lines.push(l),
    });
    const second = parse(lines.join('\n')) as AppserviceRegistration;
    expect(second.url).toBe(context.webhookUrl);
    sim.registerAppservice(second);
    await adapter.startReceiving(context);

    const customer = sim.createUser({ user: 'regcustomer', displayName: 'Reg Customer' }).userId;
    const { roomId } = sim.createRoom({
      creator: customer,
      isDirect: true,
      invite: ['@_hubspot_bot:localhost'],
    });
    const deadline = Date.now() + 3000;
    while (sim.roomSummary(roomId).members['@_hubspot_bot:localhost'] !== 'join') {
      if (Date.now() > deadline) throw new Error('the bot did not join');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    sim.sendText(roomId, customer, 'hello through the registration');
    const event = await context.waitForEvent(
      (e) => e.type === 'message' && e.text === 'hello through the registration',
      { timeoutMs: 3000 },
    );
    expect(event).toMatchObject({ conversation: { externalId: roomId } });
  });
});
