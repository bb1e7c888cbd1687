import type { PathParams } from './op-types';

export type QueryValue = string | number | boolean | undefined | null;
export type QueryInput = Record<string, QueryValue | readonly QueryValue[]>;

/** Fills `{name}` placeholders with URI-encoded values; the template is checked at compile time. */
export function expandPath<Template extends string>(
  template: Template,
  params: PathParams<Template>,
): string {
  const values = params as Record<string, string | number>;
  return template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

/**
 * Joins base URL, path and query. Arrays become repeated keys (`inboxId=1&inboxId=2`, OpenAPI's
 * default `form` + `explode`); undefined and null values are left out.
 */
export function buildUrl(baseUrl: string, path: string, query?: QueryInput): URL {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [key, raw] of Object.entries(query ?? {})) {
    const values: readonly QueryValue[] = Array.isArray(raw) ? raw : [raw as QueryValue];
    for (const value of values) {
      if (value === undefined || value === null) continue;
      url.searchParams.append(key, String(value));
    }
  }
  return url;
}
