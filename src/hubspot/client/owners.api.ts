import type { components, paths } from './generated/owners-v3';
import type { HubSpotHttp } from './hubspot-http';
import type { JsonResponseOf, Operation, QueryOf } from './op-types';
import { expandPath } from './path';

const OWNERS = '/crm/v3/owners' as const;
const OWNER = '/crm/v3/owners/{ownerId}' as const;

export type Owner = components['schemas']['PublicOwner'];
export type OwnerListQuery = QueryOf<Operation<paths, typeof OWNERS, 'get'>>;
export type OwnerPage = JsonResponseOf<Operation<paths, typeof OWNERS, 'get'>, 200>;
export type OwnerGetQuery = QueryOf<Operation<paths, typeof OWNER, 'get'>>;

/** CRM owners (agents), e.g. to map an agent's email to an owner id. */
export class OwnersApi {
  constructor(
    private readonly http: HubSpotHttp,
    private readonly portalId: string,
  ) {}

  list(query: OwnerListQuery = {}): Promise<OwnerPage> {
    return this.http.json({
      method: 'GET',
      path: OWNERS,
      query,
      auth: { type: 'portal', portalId: this.portalId },
    });
  }

  get(ownerId: string, query: OwnerGetQuery = {}): Promise<Owner> {
    return this.http.json({
      method: 'GET',
      path: expandPath(OWNER, { ownerId }),
      query,
      auth: { type: 'portal', portalId: this.portalId },
    });
  }
}
