import type { components, paths } from './generated/custom-channels-v3';
import type { HubSpotHttp } from './hubspot-http';
import type { JsonResponseOf, Operation, QueryOf } from './op-types';
import { expandPath } from './path';

type Op<P extends keyof paths, M extends 'get' | 'post' | 'patch' | 'delete'> = Operation<
  paths,
  P,
  M
>;
type Schemas = components['schemas'];

type DeliveryIdentifierType = Schemas['PublicDeliveryIdentifier']['type'];

/**
 * Channel capabilities (spec 3.3). HubSpot's document types `capabilities` as a map of empty
 * objects (and the PATCH fields as objects), which no real value satisfies; these types keep the
 * document's field names and correct the value types.
 */
export interface ChannelCapabilities {
  deliveryIdentifierTypes?: DeliveryIdentifierType[];
  threadingModel?: 'INTEGRATION_THREAD_ID' | 'DELIVERY_IDENTIFIER';
  richText?: string[];
  allowInlineImages?: boolean;
  allowOutgoingMessages?: boolean;
  allowConversationStart?: boolean;
  allowMultipleRecipients?: boolean;
  outgoingAttachmentTypes?: string[];
  allowedFileAttachmentMimeTypes?: string[];
  maxFileAttachmentCount?: number;
  maxFileAttachmentSizeBytes?: number;
  maxTotalFileAttachmentSizeBytes?: number;
}

type WithCapabilities<T> = Omit<T, 'capabilities'> & { capabilities: ChannelCapabilities };
type GeneratedPatch = Schemas['PublicChannelIntegrationChannelPatch'];

export type CustomChannel = WithCapabilities<Schemas['PublicChannelIntegrationChannel']>;
export type CustomChannelCreate = WithCapabilities<
  Schemas['PublicChannelIntegrationChannelCreate']
>;
/** Send the full capabilities (UNCLEAR whether HubSpot merges); description and logo as the SDK. */
export type CustomChannelPatch = { capabilities: ChannelCapabilities } & {
  [K in Exclude<keyof GeneratedPatch, 'capabilities'>]?: string;
} & { channelDescription: string; channelLogoUrl: string };
export type CustomChannelPage = Omit<
  JsonResponseOf<Op<'/conversations/custom-channels/v3', 'get'>, 200>,
  'results'
> & { results: CustomChannel[] };
export type CustomChannelListQuery = QueryOf<Op<'/conversations/custom-channels/v3', 'get'>>;

const COLLECTION = '/conversations/custom-channels/v3' as const;
const ONE = '/conversations/v3/custom-channels/{channelId}' as const;

/**
 * Channel definitions (spec 3): global to the app, authenticated with the developer API key
 * (`hapikey`) and `appId`, not with a portal token. Paths as in HubSpot's v3 document.
 */
export class ChannelsApi {
  constructor(private readonly http: HubSpotHttp) {}

  create(body: CustomChannelCreate): Promise<CustomChannel> {
    return this.http.json({
      method: 'POST',
      path: COLLECTION,
      auth: { type: 'developer', withAppId: true },
      json: body,
    });
  }

  list(query: CustomChannelListQuery = {}): Promise<CustomChannelPage> {
    return this.http.json({
      method: 'GET',
      path: COLLECTION,
      query,
      auth: { type: 'developer', withAppId: true },
    });
  }

  /** Every channel of the app, following `paging.next.after`. */
  async listAll(): Promise<CustomChannel[]> {
    const all: CustomChannel[] = [];
    let after: string | undefined;
    do {
      const page = await this.list({ limit: 100, ...(after && { after }) });
      all.push(...page.results);
      after = page.paging?.next?.after;
    } while (after);
    return all;
  }

  get(channelId: string): Promise<CustomChannel> {
    return this.http.json({
      method: 'GET',
      path: expandPath(ONE, { channelId }),
      auth: { type: 'developer' },
    });
  }

  update(channelId: string, body: CustomChannelPatch): Promise<CustomChannel> {
    return this.http.json({
      method: 'PATCH',
      path: expandPath(ONE, { channelId }),
      auth: { type: 'developer' },
      json: body,
    });
  }

  /** Archives (deletes) the channel definition: 204. */
  async archive(channelId: string): Promise<void> {
    await this.http.json<undefined>({
      method: 'DELETE',
      path: expandPath(ONE, { channelId }),
      auth: { type: 'developer' },
    });
  }
}
