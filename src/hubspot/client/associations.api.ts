import type { components, paths } from './generated/associations-v4';
import type { HubSpotHttp } from './hubspot-http';
import type { JsonResponseOf, Operation, QueryOf } from './op-types';
import { expandPath } from './path';

type Schemas = components['schemas'];
const LABELLED =
  '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}' as const;
const DEFAULT =
  '/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}' as const;
const LIST = '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}' as const;

export type AssociationSpec = Schemas['AssociationSpec'];
export type LabelsBetweenObjects = Schemas['LabelsBetweenObjectPair'];
export type DefaultAssociationResult = JsonResponseOf<Operation<paths, typeof DEFAULT, 'put'>, 200>;
export type AssociationListQuery = QueryOf<Operation<paths, typeof LIST, 'get'>>;
export type AssociationPage = JsonResponseOf<Operation<paths, typeof LIST, 'get'>, 200>;

export interface ObjectRef {
  objectType: string;
  objectId: string;
}

/** CRM associations v4 (ticket <-> contact and the like), with the portal's OAuth token. */
export class AssociationsApi {
  constructor(
    private readonly http: HubSpotHttp,
    private readonly portalId: string,
  ) {}

  /** Associates two records with the given labels (e.g. HUBSPOT_DEFINED type 16). */
  associate(
    from: ObjectRef,
    to: ObjectRef,
    specs: AssociationSpec[],
  ): Promise<LabelsBetweenObjects> {
    return this.http.json({
      method: 'PUT',
      path: expandPath(LABELLED, {
        objectType: from.objectType,
        objectId: from.objectId,
        toObjectType: to.objectType,
        toObjectId: to.objectId,
      }),
      auth: this.auth(),
      json: specs,
    });
  }

  /** Associates two records with their default (unlabelled) association type. */
  associateDefault(from: ObjectRef, to: ObjectRef): Promise<DefaultAssociationResult> {
    return this.http.json({
      method: 'PUT',
      path: expandPath(DEFAULT, {
        fromObjectType: from.objectType,
        fromObjectId: from.objectId,
        toObjectType: to.objectType,
        toObjectId: to.objectId,
      }),
      auth: this.auth(),
    });
  }

  list(
    from: ObjectRef,
    toObjectType: string,
    query: AssociationListQuery = {},
  ): Promise<AssociationPage> {
    return this.http.json({
      method: 'GET',
      path: expandPath(LIST, {
        objectType: from.objectType,
        objectId: from.objectId,
        toObjectType,
      }),
      query,
      auth: this.auth(),
    });
  }

  async remove(from: ObjectRef, to: ObjectRef): Promise<void> {
    await this.http.json<undefined>({
      method: 'DELETE',
      path: expandPath(LABELLED, {
        objectType: from.objectType,
        objectId: from.objectId,
        toObjectType: to.objectType,
        toObjectId: to.objectId,
      }),
      auth: this.auth(),
    });
  }

  private auth(): { type: 'portal'; portalId: string } {
    return { type: 'portal', portalId: this.portalId };
  }
}
