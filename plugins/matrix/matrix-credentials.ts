/**
 * Credential checks: whoami with the access token, or password login first (the password is
 * exchanged for a token, which is what the gateway stores).
 */
import {
  InvalidCredentialsError,
  type AccountIdentity,
  type Credentials,
} from '../../src/core/adapter';
import { toCredentialsError } from './matrix-errors';
import { CLIENT_V3, MatrixHttpClient, seg } from './matrix-http';

export async function validateMatrixCredentials(
  credentials: Credentials,
): Promise<AccountIdentity> {
  const homeserverUrl = (credentials.homeserverUrl ?? '').trim().replace(/\/+$/, '');
  if (!/^https?:\/\/\S+$/.test(homeserverUrl)) {
    throw new InvalidCredentialsError('The homeserver URL must start with https:// (or http://)');
  }
  let accessToken = (credentials.accessToken ?? '').trim();
  const login = !accessToken;
  if (login) {
    accessToken = await passwordLogin(homeserverUrl, credentials);
  }
  const client = new MatrixHttpClient(homeserverUrl, accessToken);
  let userId: string;
  try {
    userId = await whoami(client);
  } catch (error) {
    throw toCredentialsError(error);
  }
  const displayName = (await profileName(client, userId)) ?? userId;
  const normalized = { homeserverUrl, accessToken };
  const changed =
    login || homeserverUrl !== credentials.homeserverUrl || accessToken !== credentials.accessToken;
  return {
    displayName,
    deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: userId },
    ...(changed ? { normalizedCredentials: normalized } : {}),
  };
}

/** The user id an access token (or an appservice's as_token) acts as. */
export async function whoami(client: MatrixHttpClient): Promise<string> {
  const me = await client.json<{ user_id?: unknown }>({ path: `${CLIENT_V3}/account/whoami` });
  if (typeof me.user_id !== 'string') throw new Error('whoami gave no user_id');
  return me.user_id;
}

async function passwordLogin(homeserverUrl: string, credentials: Credentials): Promise<string> {
  const user = (credentials.userId ?? '').trim();
  const password = credentials.password ?? '';
  if (!user || !password) {
    throw new InvalidCredentialsError('Enter an access token, or the bot user id and its password');
  }
  try {
    const result = await new MatrixHttpClient(homeserverUrl).json<{ access_token?: unknown }>({
      method: 'POST',
      path: `${CLIENT_V3}/login`,
      anonymous: true,
      json: {
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user },
        password,
        initial_device_display_name: 'HubSpot messenger gateway',
      },
    });
    if (typeof result.access_token !== 'string') throw new Error('login gave no access_token');
    return result.access_token;
  } catch (error) {
    throw toCredentialsError(error);
  }
}

async function profileName(client: MatrixHttpClient, userId: string): Promise<string | undefined> {
  try {
    const profile = await client.json<{ displayname?: unknown }>({
      path: `${CLIENT_V3}/profile/${seg(userId)}`,
    });
    return typeof profile.displayname === 'string' && profile.displayname.trim() !== ''
      ? profile.displayname
      : undefined;
  } catch {
    return undefined;
  }
}
