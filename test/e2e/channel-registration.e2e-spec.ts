import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CliCommand } from '../../src/cli/cli-command';
import {
  channelsListCommand,
  channelsRegisterCommand,
} from '../../src/hubspot/channels/channel.commands';
import { prepareGateway, type PreparedGateway } from '../../src/prepare-gateway';
import { startHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot';
import type { Channel } from '../simulators/hubspot/types';

jest.setTimeout(60_000);

let sim: HubSpotSimulator;

beforeAll(async () => {
  sim = await startHubSpotSimulator({ port: 0 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.state.channels.clear();
  sim.faults.clear();
});

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

/** A gateway directory (its SQLite file and key) that several runs can share. */
function gatewayDir(): string {
  return mkdtempSync(join(tmpdir(), 'gw-channels-'));
}

async function prepare(cwd: string, env: NodeJS.ProcessEnv = {}): Promise<PreparedGateway> {
  return prepareGateway({
    cwd,
    env: {
      HUBSPOT_API_BASE_URL: sim.baseUrl,
      HUBSPOT_APP_ID: String(sim.app.appId),
      HUBSPOT_DEVELOPER_API_KEY: sim.app.developerApiKey,
      PUBLIC_URL: 'https://gw.example.com',
      ADAPTERS: 'echo',
      DATABASE_URL: `sqlite:${join(cwd, 'gw.sqlite')}`,
      LOG_LEVEL: 'warn',
      ...env,
    },
    logDestination: quiet,
  });
}

async function run(
  command: CliCommand,
  prepared: PreparedGateway,
  args: string[] = [],
): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await command.run(prepared, args, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

function liveChannels(): Channel[] {
  return [...sim.state.channels.values()].filter((channel) => !channel.archived);
}

function channelRequests(method: string) {
  return sim
    .requests()
    .filter((entry) => entry.method === method && entry.path.includes('custom-channels'));
}

describe('channels:register and channels:list against the HubSpot simulator', () => {
  it('creates one channel with the capabilities of the echo manifest, then PATCHes it', async () => {
    const cwd = gatewayDir();
    const prepared = await prepare(cwd);
    const { outbound } = prepared.plugins[0].plugin.manifest;
    const postsBefore = channelRequests('POST').length;

    const first = await run(channelsRegisterCommand, prepared);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/^echo: created: HubSpot channel \d+ "Echo"/);
    const [channel] = liveChannels();
    expect(liveChannels()).toHaveLength(1);
    expect(channel).toMatchObject({
      name: 'Echo',
      channelDescription: prepared.plugins[0].plugin.manifest.description,
      webhookUrl: 'https://gw.example.com/hubspot/webhook',
      channelAccountConnectionRedirectUrl: 'https://gw.example.com/connect/echo',
    });
    expect(channel.capabilities).toEqual({
      deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
      threadingModel: 'INTEGRATION_THREAD_ID',
      richText: ['HYPERLINK', 'BOLD', 'ITALIC'],
      allowInlineImages: false,
      allowOutgoingMessages: true,
      allowConversationStart: false,
      allowMultipleRecipients: false,
      outgoingAttachmentTypes: ['FILE'],
      // The manifest says */*: sent as the family wildcards HubSpot accepts.
      allowedFileAttachmentMimeTypes: ['application/*', 'audio/*', 'image/*', 'text/*', 'video/*'],
      maxFileAttachmentCount: outbound.maxAttachmentCount,
      maxFileAttachmentSizeBytes: outbound.maxAttachmentSizeBytes,
      maxTotalFileAttachmentSizeBytes:
        outbound.maxAttachmentCount * outbound.maxAttachmentSizeBytes,
    });

    // Second run, PUBLIC_URL moved: the same channel is PATCHed, nothing is created.
    const moved = await prepare(cwd, { PUBLIC_URL: 'https://gw2.example.com/base/' });
    const second = await run(channelsRegisterCommand, moved);
    expect(second.code).toBe(0);
    expect(second.output).toContain(`echo: updated: HubSpot channel ${channel.id} "Echo"`);
    expect(liveChannels()).toHaveLength(1);
    expect(sim.state.channels.get(channel.id)).toMatchObject({
      webhookUrl: 'https://gw2.example.com/base/hubspot/webhook',
      channelAccountConnectionRedirectUrl: 'https://gw2.example.com/base/connect/echo',
    });
    expect(channelRequests('POST')).toHaveLength(postsBefore + 1);
    const patches = channelRequests('PATCH');
    expect(patches.at(-1)).toMatchObject({ status: 200 });
    expect(patches.at(-1)?.path).toContain(`/custom-channels/${channel.id}`);
    expect(patches.at(-1)?.body).toMatchObject({ capabilities: channel.capabilities });

    const listed = await run(channelsListCommand, moved);
    expect(listed.code).toBe(0);
    expect(listed.output).toContain('registered by this gateway (1):');
    expect(listed.output).toMatch(new RegExp(`echo {2}channel ${channel.id} {2}"Echo"`));
    expect(listed.output).toContain('channels of the HubSpot app (1):');
    expect(listed.output).toContain(
      `${channel.id}  "Echo"  webhookUrl https://gw2.example.com/base/hubspot/webhook  adapter echo`,
    );
  });

  it('creates the channel anew when the stored one was deleted on HubSpot', async () => {
    const cwd = gatewayDir();
    const prepared = await prepare(cwd);
    expect((await run(channelsRegisterCommand, prepared)).code).toBe(0);
    const [gone] = liveChannels();
    const deleted = await fetch(
      `${sim.baseUrl}/conversations/v3/custom-channels/${gone.id}?hapikey=${sim.app.developerApiKey}`,
      { method: 'DELETE' },
    );
    expect(deleted.status).toBe(204);

    const again = await run(channelsRegisterCommand, prepared);
    expect(again.code).toBe(0);
    expect(again.output).toContain(`(channel ${gone.id} no longer exists on HubSpot)`);
    expect(liveChannels()).toHaveLength(1);
    const [fresh] = liveChannels();
    expect(fresh.id).not.toBe(gone.id);

    const listed = await run(channelsListCommand, prepared);
    expect(listed.output).toMatch(new RegExp(`echo {2}channel ${fresh.id} `));
  });

  it('updates a channel of the same name when nothing is stored locally', async () => {
    const first = await prepare(gatewayDir());
    expect((await run(channelsRegisterCommand, first)).code).toBe(0);
    const [existing] = liveChannels();

    const elsewhere = await prepare(gatewayDir(), { PUBLIC_URL: 'https://other.example.com' });
    const adopted = await run(channelsRegisterCommand, elsewhere);
    expect(adopted.code).toBe(0);
    expect(adopted.output).toContain(
      `echo: updated the existing channel of the same name: HubSpot channel ${existing.id}`,
    );
    expect(liveChannels()).toHaveLength(1);
    expect(sim.state.channels.get(existing.id)?.webhookUrl).toBe(
      'https://other.example.com/hubspot/webhook',
    );
  });

  it("prints HubSpot's validation error with its correlationId and exits 1", async () => {
    const prepared = await prepare(gatewayDir());
    const [loaded] = prepared.plugins;
    const manifest = loaded.plugin.manifest;
    const broken: PreparedGateway = {
      ...prepared,
      plugins: [
        {
          ...loaded,
          plugin: {
            ...loaded.plugin,
            manifest: {
              ...manifest,
              outbound: { ...manifest.outbound, allowedMimeTypes: ['pdf'] },
            },
          },
        },
      ],
    };
    const result = await run(channelsRegisterCommand, broken);
    expect(result.code).toBe(1);
    const rejected = channelRequests('POST').at(-1);
    expect(rejected?.status).toBe(400);
    expect(rejected?.correlationId).toBeTruthy();
    expect(result.output).toContain(
      'echo: error: HubSpot refused (HTTP 400 VALIDATION_ERROR/CustomChannelsError.INVALID_CHANNEL_CAPABILITY_VALUES',
    );
    expect(result.output).toContain(
      'One or more Channel Capabilities specified had invalid values',
    );
    expect(result.output).toContain(`correlationId=${rejected?.correlationId}`);
    expect(result.output).not.toContain(sim.app.developerApiKey);
    expect(liveChannels()).toHaveLength(0);

    // Nothing was stored: a corrected run creates the channel.
    expect((await run(channelsListCommand, prepared)).output).toContain(
      'registered by this gateway (0):',
    );
  });

  it('exits 1 with the correlationId when HubSpot fails on the update', async () => {
    const prepared = await prepare(gatewayDir());
    expect((await run(channelsRegisterCommand, prepared)).code).toBe(0);
    sim.faults.add({ method: 'PATCH', path: '/conversations/v3/custom-channels/*', status: 500 });
    const result = await run(channelsRegisterCommand, prepared);
    expect(result.code).toBe(1);
    const failed = channelRequests('PATCH').at(-1);
    expect(failed?.status).toBe(500);
    expect(result.output).toMatch(/^echo: error: HubSpot 500/);
    expect(result.output).toContain(`correlationId ${failed?.correlationId}`);
  });

  it('names a missing developer key or app id and calls nothing', async () => {
    const before = sim.requests().length;
    const noKey = await prepare(gatewayDir(), { HUBSPOT_DEVELOPER_API_KEY: '' });
    const register = await run(channelsRegisterCommand, noKey);
    expect(register.code).toBe(1);
    expect(register.output).toContain(
      'HUBSPOT_DEVELOPER_API_KEY: is required to register channels',
    );

    const noApp = await prepare(gatewayDir(), { HUBSPOT_APP_ID: '' });
    const list = await run(channelsListCommand, noApp);
    expect(list.code).toBe(1);
    expect(list.output).toContain('HUBSPOT_APP_ID: is required');
    expect(sim.requests().length).toBe(before);
  });

  it('refuses an adapter that is not enabled', async () => {
    const result = await run(channelsRegisterCommand, await prepare(gatewayDir()), ['telegram']);
    expect(result.code).toBe(1);
    expect(result.output).toContain('adapter "telegram" is not enabled; enabled adapters: echo');
  });
});
