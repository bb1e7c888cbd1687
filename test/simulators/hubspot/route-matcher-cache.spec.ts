import { createRequire } from 'node:module';
import { memoizeValidatorRouteMatching } from './route-matcher-cache';

type Compiled = { regexp: RegExp; keys: { name: string }[] };
type PathToRegexp = (path: string, options?: Record<string, unknown>) => Compiled;

describe('HubSpot simulator: remembered route patterns of the OpenAPI validator', () => {
  const pathToRegexpExports = createRequire(require.resolve('express-openapi-validator'))(
    'path-to-regexp',
  ) as { pathToRegexp: PathToRegexp };
  const route = '/conversations/v3/custom-channels/:channelId/messages/:messageId';

  it('compiles each pattern once per option set and matches exactly as a fresh compile', () => {
    const fresh = pathToRegexpExports.pathToRegexp(route, { sensitive: false, strict: false });
    memoizeValidatorRouteMatching();
    memoizeValidatorRouteMatching(); // idempotent: no second wrapper
    const pathToRegexp = pathToRegexpExports.pathToRegexp;
    const first = pathToRegexp(route, { sensitive: false, strict: false });
    expect(pathToRegexp(route, { strict: false, sensitive: false })).toBe(first);
    expect(pathToRegexp(route, { sensitive: true, strict: false })).not.toBe(first);
    expect(first.regexp.source).toBe(fresh.regexp.source);
    expect(first.keys.map((k) => k.name)).toEqual(['channelId', 'messageId']);
    const path = '/conversations/v3/custom-channels/1001/messages/abc';
    expect(first.regexp.exec(path)?.slice(1)).toEqual(['1001', 'abc']);
    expect(first.regexp.exec(path)?.slice(1)).toEqual(['1001', 'abc']);
    expect(first.regexp.exec('/conversations/v3/custom-channels/1001/messages')).toBeNull();
  });

  it('passes calls with options it does not know through uncached', () => {
    memoizeValidatorRouteMatching();
    const pathToRegexp = pathToRegexpExports.pathToRegexp;
    const encode = (value: string) => value;
    const a = pathToRegexp(route, { encodePath: encode });
    expect(pathToRegexp(route, { encodePath: encode })).not.toBe(a);
  });
});
