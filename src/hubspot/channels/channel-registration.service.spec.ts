import type {
  ChannelRegistration,
  ChannelRegistrationInput,
} from '../../core/persistence/models/channel-registration.model';
import type {
  CustomChannel,
  CustomChannelCreate,
  CustomChannelPatch,
} from '../client/channels.api';
import { HubSpotApiError } from '../client/errors';
import { ChannelRegistrationService } from './channel-registration.service';
import { testManifest } from './test-manifest';

/** HubSpot's channel endpoints, in memory. */
class FakeChannels {
  readonly channels = new Map<string, CustomChannel>();
  readonly calls: string[] = [];
  private next = 1000;

  async create(body: CustomChannelCreate): Promise<CustomChannel> {
    this.calls.push('create');
    const channel = { ...body, id: String(this.next++), createdAt: new Date().toISOString() };
    this.channels.set(channel.id, channel);
    return channel;
  }

  async get(id: string): Promise<CustomChannel> {
    this.calls.push(`get ${id}`);
    const channel = this.channels.get(id);
    if (!channel) throw new HubSpotApiError('gone', { status: 404, operation: 'GET /x' });
    return channel;
  }

  async update(id: string, patch: CustomChannelPatch): Promise<CustomChannel> {
    this.calls.push(`update ${id}`);
    const current = this.channels.get(id);
    if (!current) throw new HubSpotApiError('gone', { status: 404, operation: 'PATCH /x' });
    const channel = { ...current, ...patch };
    this.channels.set(id, channel);
    return channel;
  }

  async listAll(): Promise<CustomChannel[]> {
    this.calls.push('list');
    return [...this.channels.values()];
  }
}

class FakeRegistrations {
  readonly rows = new Map<string, ChannelRegistration>();

  async save(input: ChannelRegistrationInput): Promise<ChannelRegistration> {
    const now = new Date();
    const row = {
      ...input,
      registeredAt: this.rows.get(input.adapterId)?.registeredAt ?? now,
      updatedAt: now,
    };
    this.rows.set(input.adapterId, row);
    return row;
  }

  async findByAdapter(adapterId: string): Promise<ChannelRegistration | undefined> {
    return this.rows.get(adapterId);
  }

  async list(): Promise<ChannelRegistration[]> {
    return [...this.rows.values()];
  }
}

function setup(manifest = testManifest()) {
  const channels = new FakeChannels();
  const registrations = new FakeRegistrations();
  const warnings: string[] = [];
  const service = new ChannelRegistrationService({
    hubspot: { channels },
    registrations,
    config: { PUBLIC_URL: 'https://gw.example.com' },
    plugins: [{ name: 'acme', plugin: { manifest } }],
    logger: { warn: (_fields, message) => warnings.push(message) },
  });
  const [target] = service.targets();
  return { channels, registrations, service, target, warnings };
}

describe('ChannelRegistrationService', () => {
  it('creates the channel the first time and stores it', async () => {
    const { channels, registrations, service, target } = setup();
    const outcome = await service.register(target);
    expect(outcome.action).toBe('created');
    expect(channels.calls).toEqual(['list', 'create']);
    expect(channels.channels.get(outcome.channel.id)).toMatchObject({
      name: 'Acme Chat',
      webhookUrl: 'https://gw.example.com/hubspot/webhook',
      channelAccountConnectionRedirectUrl: 'https://gw.example.com/connect/acme',
    });
    expect(registrations.rows.get('acme')).toMatchObject({
      hubspotChannelId: outcome.channel.id,
      name: 'Acme Chat',
      capabilities: service.definitionOf(target).capabilities,
    });
  });

  it('updates the stored channel on the next run instead of creating another', async () => {
    const { channels, service, target } = setup();
    const first = await service.register(target);
    channels.calls.length = 0;
    const second = await service.register(target);
    expect(second.action).toBe('updated');
    expect(second.channel.id).toBe(first.channel.id);
    expect(channels.calls).toEqual([`get ${first.channel.id}`, `update ${first.channel.id}`]);
    expect(channels.channels.size).toBe(1);
  });

  it('creates anew when the stored channel is gone on HubSpot (404)', async () => {
    const { channels, registrations, service, target, warnings } = setup();
    const first = await service.register(target);
    channels.channels.delete(first.channel.id);
    const second = await service.register(target);
    expect(second).toMatchObject({ action: 'recreated', previousChannelId: first.channel.id });
    expect(second.channel.id).not.toBe(first.channel.id);
    expect(registrations.rows.get('acme')?.hubspotChannelId).toBe(second.channel.id);
    expect(warnings).toHaveLength(1);
  });

  it('adopts a channel of the same name when nothing is stored', async () => {
    const { channels, service, target } = setup();
    const other = await channels.create({ name: 'Other', capabilities: {} });
    const older = await channels.create({ name: 'Acme Chat', capabilities: {} });
    await channels.create({ name: 'Acme Chat', capabilities: {}, channelLogoUrl: 'x' });
    channels.calls.length = 0;
    const outcome = await service.register(target);
    expect(outcome.action).toBe('adopted');
    expect(outcome.channel.id).toBe(older.id);
    expect(channels.calls).toEqual(['list', `update ${older.id}`]);
    expect(channels.channels.get(other.id)?.name).toBe('Other');
    expect(channels.channels.get(older.id)?.webhookUrl).toBe(
      'https://gw.example.com/hubspot/webhook',
    );
  });

  it('does not store anything when HubSpot refuses', async () => {
    const { channels, registrations, service, target } = setup();
    channels.create = async () => {
      throw new HubSpotApiError('bad capability', { status: 400, operation: 'POST /x' });
    };
    await expect(service.register(target)).rejects.toThrow('bad capability');
    expect(registrations.rows.size).toBe(0);
  });

  it('passes errors other than 404 of the stored channel on', async () => {
    const { channels, service, target } = setup();
    await service.register(target);
    channels.get = async () => {
      throw new HubSpotApiError('forbidden', { status: 403, operation: 'GET /x' });
    };
    await expect(service.register(target)).rejects.toThrow('forbidden');
  });

  it('selects adapters by name and refuses one that is not enabled', () => {
    const { service } = setup();
    expect(service.targets(['acme']).map((target) => target.adapterId)).toEqual(['acme']);
    expect(() => service.targets(['nope'])).toThrow('adapter "nope" is not enabled');
  });

  it('lists the stored registrations and the channels of the app', async () => {
    const { service, target } = setup();
    await service.register(target);
    const listing = await service.list();
    expect(listing.local.map((row) => row.adapterId)).toEqual(['acme']);
    expect(listing.remote.map((channel) => channel.name)).toEqual(['Acme Chat']);
  });
});
