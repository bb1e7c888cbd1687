import { AssociationsApi } from './associations.api';
import { ChannelAccountsApi } from './channel-accounts.api';
import { ChannelsApi } from './channels.api';
import { ContactsApi } from './contacts.api';
import { ConversationsApi } from './conversations.api';
import type { FileDownloader } from './file-download';
import { DEFAULT_FILES_OPTIONS, FilesApi, type FilesApiOptions } from './files.api';
import type { HubSpotHttp } from './hubspot-http';
import { MessagesApi } from './messages.api';
import { OwnersApi } from './owners.api';
import { TicketsApi } from './tickets.api';

/** Every portal-scoped API, bound to one installed portal's OAuth token and rate limit. */
export class HubSpotPortalClient {
  readonly channelAccounts: ChannelAccountsApi;
  readonly messages: MessagesApi;
  readonly files: FilesApi;
  readonly conversations: ConversationsApi;
  readonly tickets: TicketsApi;
  readonly associations: AssociationsApi;
  readonly owners: OwnersApi;
  readonly contacts: ContactsApi;

  constructor(
    readonly portalId: string,
    http: HubSpotHttp,
    downloader: FileDownloader,
    filesOptions: FilesApiOptions,
  ) {
    this.channelAccounts = new ChannelAccountsApi(http, portalId);
    this.messages = new MessagesApi(http, portalId);
    this.files = new FilesApi(http, portalId, downloader, filesOptions);
    this.conversations = new ConversationsApi(http, portalId);
    this.tickets = new TicketsApi(http, portalId);
    this.associations = new AssociationsApi(http, portalId);
    this.owners = new OwnersApi(http, portalId);
    this.contacts = new ContactsApi(http, portalId);
  }
}

/**
 * The gateway's HubSpot API client: `channels` (app-level, developer key) and `forPortal(id)`
 * for everything that runs with a portal's OAuth token.
 */
export class HubSpotClient {
  readonly channels: ChannelsApi;
  private readonly portals = new Map<string, HubSpotPortalClient>();

  constructor(
    readonly http: HubSpotHttp,
    private readonly downloader: FileDownloader,
    private readonly filesOptions: FilesApiOptions = DEFAULT_FILES_OPTIONS,
  ) {
    this.channels = new ChannelsApi(http);
  }

  forPortal(portalId: string): HubSpotPortalClient {
    let portal = this.portals.get(portalId);
    if (!portal) {
      portal = new HubSpotPortalClient(portalId, this.http, this.downloader, this.filesOptions);
      this.portals.set(portalId, portal);
    }
    return portal;
  }
}
