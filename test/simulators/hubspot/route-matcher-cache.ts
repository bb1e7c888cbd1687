/**
 * express-openapi-validator 5.6 compiles every documented route with path-to-regexp's
 * `pathToRegexp` on every request while it looks the request's route up (openapi.metadata.js,
 * `lookupRoute`), so with HubSpot's documents the simulator spent about 15 % of its CPU compiling
 * the same patterns again and again (measured in bench:e2e; upstream PR
 * cdimascio/express-openapi-validator#1217 caches them and is not released). Until it is, the
 * simulator remembers each compiled pattern. `pathToRegexp` is a pure function of its pattern and
 * options, and the regexps it returns carry no `g`/`y` state, so a remembered result matches
 * exactly what a fresh one would: validation stays as strict as before.
 *
 * The validator calls the function through path-to-regexp's exports object at every request, so
 * replacing that property (once, for the whole process, on the copy of path-to-regexp the
 * validator itself resolves) is what reaches it.
 */
import { createRequire } from 'node:module';

interface CompiledPath {
  regexp: RegExp;
  keys: unknown[];
}
type PathToRegexp = (path: unknown, options?: Record<string, unknown>) => CompiledPath;

/** The options the validator passes; a call with any other option is not remembered. */
const KNOWN_OPTIONS = new Set(['sensitive', 'strict', 'end', 'trailing', 'delimiter']);
const MEMOIZED = Symbol.for('hubspot-simulator.memoizedPathToRegexp');

export function memoizeValidatorRouteMatching(): void {
  const validatorRequire = createRequire(require.resolve('express-openapi-validator'));
  const pathToRegexpExports = validatorRequire('path-to-regexp') as Record<
    string | symbol,
    unknown
  >;
  if (pathToRegexpExports[MEMOIZED]) return;
  const original = pathToRegexpExports.pathToRegexp as PathToRegexp;
  const compiled = new Map<string, CompiledPath>();
  const memoized: PathToRegexp = (path, options) => {
    const optionNames = options ? Object.keys(options) : [];
    if (typeof path !== 'string' || optionNames.some((name) => !KNOWN_OPTIONS.has(name))) {
      return original(path, options);
    }
    // Option values spelled out (end and trailing default to true), cheap enough for the few
    // hundred calls each request makes.
    const o = options ?? {};
    const key = `${o.sensitive ? 1 : 0}${o.strict ? 1 : 0}${o.end === false ? 0 : 1}${
      o.trailing === false ? 0 : 1
    }${String(o.delimiter ?? '/')}\u0000${path}`;
    let result = compiled.get(key);
    if (!result) {
      result = original(path, options);
      compiled.set(key, result);
    }
    return result;
  };
  pathToRegexpExports.pathToRegexp = memoized;
  pathToRegexpExports[MEMOIZED] = true;
}
