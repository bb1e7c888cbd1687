import { ConnectRequestError } from './connect-errors';
import { isAllowedRedirect } from './redirect-policy';

/** The query HubSpot appends to channelAccountConnectionRedirectUrl (spec 4.3 step 2). */
export interface ConnectQuery {
  accountToken: string;
  channelId: string;
  redirectUrl: string;
  /** Not documented; used when HubSpot (or the simulator's option) sends it. */
  portalId?: string;
}

const RULES: Record<keyof ConnectQuery, RegExp> = {
  accountToken: /^[A-Za-z0-9._~-]{1,512}$/,
  channelId: /^\d{1,12}$/,
  redirectUrl: /^.{1,2048}$/s,
  portalId: /^\d{1,20}$/,
};

function single(query: Record<string, unknown>, key: keyof ConnectQuery): string | undefined {
  const value = query[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !RULES[key].test(value)) {
    throw new ConnectRequestError(
      400,
      'Invalid connection link',
      `The ${key} parameter is malformed.`,
    );
  }
  return value;
}

/** Validates the popup's query; throws ConnectRequestError (400) with a readable message. */
export function parseConnectQuery(
  query: Record<string, unknown>,
  hubspotApiBaseUrl: string,
): ConnectQuery {
  const accountToken = single(query, 'accountToken');
  const channelId = single(query, 'channelId');
  const redirectUrl = single(query, 'redirectUrl');
  const missing = [
    accountToken ? '' : 'accountToken',
    channelId ? '' : 'channelId',
    redirectUrl ? '' : 'redirectUrl',
  ].filter(Boolean);
  if (!accountToken || !channelId || !redirectUrl) {
    throw new ConnectRequestError(
      400,
      'Invalid connection link',
      `This page must be opened from HubSpot; the link lacks ${missing.join(', ')}.`,
    );
  }
  if (!isAllowedRedirect(redirectUrl, hubspotApiBaseUrl)) {
    throw new ConnectRequestError(
      400,
      'Invalid connection link',
      'The redirectUrl parameter does not point to HubSpot.',
    );
  }
  const portalId = single(query, 'portalId');
  return { accountToken, channelId, redirectUrl, ...(portalId !== undefined && { portalId }) };
}
