import type { AdapterManifest } from '../../core/adapter/manifest';
import type { CustomChannelCreate, CustomChannelPatch } from '../client/channels.api';
import { channelCapabilitiesOf } from './channel-capabilities';

/** Where HubSpot sends channel webhooks, under PUBLIC_URL. */
export const HUBSPOT_WEBHOOK_PATH = '/hubspot/webhook';
/** Where HubSpot sends an admin connecting an account, under PUBLIC_URL (+ `/<adapter>`). */
export const CONNECT_PATH = '/connect';

/**
 * The channel definition of one adapter (spec 3.2): everything HubSpot is told about it, derived
 * from the manifest and PUBLIC_URL only, so a second registration sends the same body.
 */
export function channelDefinitionOf(
  adapterId: string,
  manifest: AdapterManifest,
  publicUrl: string,
): CustomChannelCreate {
  const logo = manifest.logoUrl ? absoluteUrl(manifest.logoUrl, publicUrl) : undefined;
  return {
    name: manifest.displayName,
    channelDescription: manifest.description,
    ...(logo && { channelLogoUrl: logo }),
    webhookUrl: underPublicUrl(publicUrl, HUBSPOT_WEBHOOK_PATH),
    channelAccountConnectionRedirectUrl: underPublicUrl(
      publicUrl,
      `${CONNECT_PATH}/${encodeURIComponent(adapterId)}`,
    ),
    capabilities: channelCapabilitiesOf(manifest),
  };
}

/**
 * The PATCH of an existing channel: the full definition (capabilities are sent whole, since it is
 * UNCLEAR whether HubSpot merges them). PATCH needs a logo URL; without one in the manifest the
 * channel keeps the logo it has.
 */
export function channelPatchOf(
  definition: CustomChannelCreate,
  currentLogoUrl: string | undefined,
): CustomChannelPatch {
  return {
    ...definition,
    channelDescription: definition.channelDescription ?? '',
    channelLogoUrl: definition.channelLogoUrl ?? currentLogoUrl ?? '',
  };
}

/** `path` under PUBLIC_URL, which may itself have a path (`https://host/gateway`). */
export function underPublicUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** An absolute http(s) URL as is; anything else is a path served by the gateway. */
export function absoluteUrl(urlOrPath: string, publicUrl: string): string {
  return /^https?:\/\//i.test(urlOrPath) ? urlOrPath : underPublicUrl(publicUrl, urlOrPath);
}
