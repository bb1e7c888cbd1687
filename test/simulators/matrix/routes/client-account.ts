import { Router } from 'express';
import type { SimCore } from '../core';
import { ctx, requester } from '../http/context';
import { forbidden, MatrixError, notFound } from '../http/errors';
import { localpartOf } from '../util/ids';
import { asRecord, asString, isRecord } from '../util/json';
import { jsonBody, param } from './helpers';

const V3 = '/_matrix/client/v3';

/** versions, login/logout, whoami, register (appservice), profile, filters, account data. */
export function accountRoutes(core: SimCore): Router {
  const r = Router();
  const { store } = core;

  r.get('/_matrix/client/versions', (_req, res) => {
    res.json({ versions: core.versions, unstable_features: {} });
  });

  r.get(`${V3}/login`, (_req, res) => {
    res.json({ flows: [{ type: 'm.login.password' }, { type: 'm.login.application_service' }] });
  });

  r.post(`${V3}/login`, (_req, res) => {
    const body = jsonBody(res);
    const identifier = asRecord(body.identifier);
    const name = asString(identifier.user) ?? asString(body.user);
    const type = asString(body.type);
    if (type !== 'm.login.password' && type !== 'm.login.application_service') {
      throw new MatrixError(400, 'M_UNKNOWN', `Unknown login type ${String(type)}`);
    }
    if (!name) throw new MatrixError(400, 'M_INVALID_PARAM', 'identifier.user is required');
    const userId = store.userId(name);
    const user = store.users.get(userId);
    if (type === 'm.login.application_service') {
      const reg = ctx(res).requester?.appservice;
      if (!reg || !core.appservices.ownsUser(reg, userId) || !user) {
        throw forbidden('Application service login not allowed for this user');
      }
    } else if (!user || user.password === undefined || user.password !== body.password) {
      throw forbidden('Invalid username or password');
    }
    const session = store.createSession(userId, asString(body.device_id));
    res.json({
      user_id: userId,
      access_token: session.token,
      device_id: session.deviceId,
      home_server: store.serverName,
    });
  });

  r.post(`${V3}/logout`, (_req, res) => {
    store.sessions.delete(requester(res).token);
    res.json({});
  });

  r.post(`${V3}/logout/all`, (_req, res) => {
    const { userId } = requester(res);
    for (const [token, s] of store.sessions) if (s.userId === userId) store.sessions.delete(token);
    res.json({});
  });

  r.get(`${V3}/account/whoami`, (_req, res) => {
    const who = requester(res);
    res.json({
      user_id: who.userId,
      is_guest: false,
      ...(who.deviceId ? { device_id: who.deviceId } : {}),
    });
  });

  r.post(`${V3}/register`, (req, res) => {
    const body = jsonBody(res);
    const reg = ctx(res).requester?.appservice;
    if (body.type !== 'm.login.application_service') {
      throw forbidden('Registration is disabled on this simulator (use the control API)');
    }
    if (!reg) {
      const sent = req.headers.authorization !== undefined || req.query.access_token !== undefined;
      throw sent
        ? new MatrixError(401, 'M_UNKNOWN_TOKEN', 'Unknown as_token')
        : new MatrixError(401, 'M_MISSING_TOKEN', 'Missing as_token');
    }
    const username = asString(body.username);
    if (!username) throw new MatrixError(400, 'M_MISSING_PARAM', 'username is required');
    const userId = store.userId(localpartOf(username));
    if (!core.appservices.ownsUser(reg, userId)) {
      throw new MatrixError(400, 'M_EXCLUSIVE', `${userId} is not in the namespace of ${reg.id}`);
    }
    if (store.users.has(userId)) {
      throw new MatrixError(400, 'M_USER_IN_USE', 'User ID already taken.');
    }
    store.users.set(userId, { userId, devices: new Set(), appserviceId: reg.id });
    if (body.inhibit_login === true) return void res.json({ user_id: userId });
    const session = store.createSession(userId, asString(body.device_id));
    res.json({ user_id: userId, access_token: session.token, device_id: session.deviceId });
  });

  r.get(`${V3}/profile/:userId`, (req, res) => {
    const user = store.users.get(param(req, 'userId'));
    if (!user) throw notFound('Profile not found');
    res.json({
      ...(user.displayName !== undefined ? { displayname: user.displayName } : {}),
      ...(user.avatarUrl !== undefined ? { avatar_url: user.avatarUrl } : {}),
    });
  });

  r.get(`${V3}/profile/:userId/:keyName`, (req, res) => {
    const user = store.users.get(param(req, 'userId'));
    const key = param(req, 'keyName');
    const value =
      key === 'displayname'
        ? user?.displayName
        : key === 'avatar_url'
          ? user?.avatarUrl
          : undefined;
    if (!user || value === undefined) throw notFound('Profile field not found');
    res.json({ [key]: value });
  });

  r.put(`${V3}/profile/:userId/:keyName`, (req, res) => {
    const who = requester(res);
    const userId = param(req, 'userId');
    if (who.userId !== userId) throw forbidden('Cannot set the profile of another user');
    const user = store.users.get(userId);
    const key = param(req, 'keyName');
    const value = asString(jsonBody(res)[key]);
    if (!user || value === undefined)
      throw new MatrixError(400, 'M_BAD_JSON', `Body needs a string '${key}'`);
    if (key === 'displayname') user.displayName = value;
    else if (key === 'avatar_url') user.avatarUrl = value;
    else throw new MatrixError(400, 'M_BAD_JSON', `Unsupported profile field ${key}`);
    for (const room of store.rooms.values()) {
      if (room.membership(userId) !== 'join') continue;
      core.rooms.append(room, {
        sender: userId,
        type: 'm.room.member',
        stateKey: userId,
        content: core.rooms.memberContent(userId, 'join'),
        source: who.appservice ? 'appservice' : 'client',
      });
    }
    res.json({});
  });

  const ownUser = (reqUserId: string, res: Parameters<typeof requester>[0]): string => {
    const who = requester(res);
    if (who.userId !== reqUserId) throw forbidden('Cannot act for another user');
    return who.userId;
  };

  r.post(`${V3}/user/:userId/filter`, (req, res) => {
    const userId = ownUser(param(req, 'userId'), res);
    const id = String(store.filters.size + 1);
    store.filters.set(`${userId}/${id}`, jsonBody(res));
    res.json({ filter_id: id });
  });

  r.get(`${V3}/user/:userId/filter/:filterId`, (req, res) => {
    const userId = ownUser(param(req, 'userId'), res);
    const filter = store.filters.get(`${userId}/${param(req, 'filterId')}`);
    if (!filter) throw notFound('No such filter');
    res.json(filter);
  });

  r.get(`${V3}/user/:userId/account_data/:type`, (req, res) => {
    const userId = ownUser(param(req, 'userId'), res);
    const entry = store.getAccountData(userId).get(param(req, 'type'));
    if (!entry) throw notFound('Account data not found');
    res.json(entry.content);
  });

  r.put(`${V3}/user/:userId/account_data/:type`, (req, res) => {
    const userId = ownUser(param(req, 'userId'), res);
    const body = ctx(res).body;
    if (!isRecord(body)) throw new MatrixError(400, 'M_BAD_JSON', 'Body must be a JSON object');
    store.setAccountData(userId, param(req, 'type'), body);
    res.json({});
  });

  r.get(`${V3}/user/:userId/rooms/:roomId/account_data/:type`, (req, res) => {
    const userId = ownUser(param(req, 'userId'), res);
    const room = core.rooms.get(param(req, 'roomId'));
    const entry = room.accountData.get(userId)?.get(param(req, 'type'));
    if (!entry) throw notFound('Room account data not found');
    res.json(entry.content);
  });

  r.put(`${V3}/user/:userId/rooms/:roomId/account_data/:type`, (req, res) => {
    const userId = ownUser(param(req, 'userId'), res);
    const body = ctx(res).body;
    if (!isRecord(body)) throw new MatrixError(400, 'M_BAD_JSON', 'Body must be a JSON object');
    core.rooms.setAccountData(
      core.rooms.get(param(req, 'roomId')),
      userId,
      param(req, 'type'),
      body,
    );
    res.json({});
  });

  r.get(`${V3}/joined_rooms`, (_req, res) => {
    const { userId } = requester(res);
    const joined = [...store.rooms.values()].filter((room) => room.membership(userId) === 'join');
    res.json({ joined_rooms: joined.map((room) => room.roomId) });
  });

  return r;
}
