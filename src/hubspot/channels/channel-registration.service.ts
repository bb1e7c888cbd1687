import type { AdapterManifest } from '../../core/adapter/manifest';
import type { ChannelRegistration } from '../../core/persistence/models/channel-registration.model';
import type { ChannelRegistrationRepository } from '../../core/persistence/repositories/channel-registration.repository';
import type { ChannelsApi, CustomChannel, CustomChannelCreate } from '../client/channels.api';
import { HubSpotApiError } from '../client/errors';
import { channelDefinitionOf, channelPatchOf } from './channel-definition';

/** An adapter whose channel is registered: its config name and its manifest. */
export interface ChannelTarget {
  adapterId: string;
  manifest: AdapterManifest;
}

/**
 * What a registration did. `created`: no channel existed; `updated`: the stored channel was
 * PATCHed; `adopted`: nothing was stored but HubSpot had a channel of that name, which was PATCHed;
 * `recreated`: the stored channel was gone on HubSpot (404), a new one was created.
 */
export type RegistrationAction = 'created' | 'updated' | 'adopted' | 'recreated';

export interface ChannelRegistrationOutcome {
  adapterId: string;
  action: RegistrationAction;
  channel: CustomChannel;
  registration: ChannelRegistration;
  /** The channel id stored before, when it was gone on HubSpot. */
  previousChannelId?: string;
}

export interface ChannelListing {
  /** What this gateway has stored, one per adapter. */
  local: ChannelRegistration[];
  /** Every channel of the HubSpot app. */
  remote: CustomChannel[];
}

export interface ChannelRegistrationDeps {
  hubspot: { channels: Pick<ChannelsApi, 'create' | 'get' | 'update' | 'listAll'> };
  registrations: Pick<ChannelRegistrationRepository, 'save' | 'findByAdapter' | 'list'>;
  config: { PUBLIC_URL: string };
  /** The enabled adapters (`LoadedPlugin[]` fits). */
  plugins: readonly { name: string; plugin: { manifest: AdapterManifest } }[];
  logger?: { warn(fields: object, message: string): void };
}

/**
 * Registers one HubSpot custom channel per enabled adapter, idempotently: the stored channel (or,
 * with nothing stored, a channel of the same name on HubSpot) is updated, never duplicated.
 */
export class ChannelRegistrationService {
  constructor(private readonly deps: ChannelRegistrationDeps) {}

  /** The enabled adapters, or those named (throws for a name that is not enabled). */
  targets(adapterIds: readonly string[] = []): ChannelTarget[] {
    const all = this.deps.plugins.map((loaded) => ({
      adapterId: loaded.name,
      manifest: loaded.plugin.manifest,
    }));
    if (adapterIds.length === 0) return all;
    return adapterIds.map((id) => {
      const found = all.find((target) => target.adapterId === id);
      if (!found) {
        const enabled = all.map((target) => target.adapterId).join(', ') || '(none)';
        throw new Error(`adapter "${id}" is not enabled; enabled adapters: ${enabled}`);
      }
      return found;
    });
  }

  /** What would be sent to HubSpot for an adapter. */
  definitionOf(target: ChannelTarget): CustomChannelCreate {
    return channelDefinitionOf(target.adapterId, target.manifest, this.deps.config.PUBLIC_URL);
  }

  async register(target: ChannelTarget): Promise<ChannelRegistrationOutcome> {
    const definition = this.definitionOf(target);
    const stored = await this.deps.registrations.findByAdapter(target.adapterId);
    const fromStore = stored ? await this.stillThere(stored) : undefined;
    const existing = fromStore ?? (await this.findByName(definition.name));
    const channel = existing
      ? await this.deps.hubspot.channels.update(
          existing.id,
          channelPatchOf(definition, existing.channelLogoUrl),
        )
      : await this.deps.hubspot.channels.create(definition);
    const registration = await this.deps.registrations.save({
      adapterId: target.adapterId,
      hubspotChannelId: channel.id,
      name: channel.name,
      capabilities: { ...definition.capabilities },
    });
    const gone = stored && !fromStore;
    return {
      adapterId: target.adapterId,
      action: fromStore ? 'updated' : existing ? 'adopted' : gone ? 'recreated' : 'created',
      channel,
      registration,
      ...(gone && { previousChannelId: stored.hubspotChannelId }),
    };
  }

  async list(): Promise<ChannelListing> {
    const local = await this.deps.registrations.list();
    const remote = await this.deps.hubspot.channels.listAll();
    return { local, remote };
  }

  /** The stored channel as HubSpot has it, or undefined when HubSpot answers 404. */
  private async stillThere(stored: ChannelRegistration): Promise<CustomChannel | undefined> {
    try {
      return await this.deps.hubspot.channels.get(stored.hubspotChannelId);
    } catch (error) {
      if (error instanceof HubSpotApiError && error.status === 404) {
        this.deps.logger?.warn(
          { adapterId: stored.adapterId, channelId: stored.hubspotChannelId },
          'the registered HubSpot channel no longer exists; registering it again',
        );
        return undefined;
      }
      throw error;
    }
  }

  /** A channel of the app with this name (the oldest, when HubSpot has several). */
  private async findByName(name: string): Promise<CustomChannel | undefined> {
    const matches = (await this.deps.hubspot.channels.listAll())
      .filter((channel) => channel.name === name)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id));
    if (matches.length > 1) {
      this.deps.logger?.warn(
        { name, channelIds: matches.map((channel) => channel.id) },
        'several HubSpot channels have this name; updating the oldest',
      );
    }
    return matches[0];
  }
}
