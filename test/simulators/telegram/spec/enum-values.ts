import type { ApiField } from './api-spec';

/**
 * api.json has no enum lists; allowed values live in the prose. Two phrasings are used consistently:
 * - discriminators: `Type of the media, must be photo` or `Type of the reaction, always "emoji"`;
 * - enumerations: `must be one of "a", "b"`, `can be either "x" or "y"`, `Currently, can be "m" (...)`,
 *   `currently one of "p", "q"` — all quoted words after the trigger phrase are the allowed values.
 * Returns undefined when the description does not restrict the value.
 */
const DISCRIMINATOR = /\b(?:must be ([a-z_]+)|always "([a-z_]+)")\.?$/;
const ENUM_TRIGGER = /\b(?:must be|can be|one of|either)\s+(?:one of\s+|either\s+)?"/i;
const QUOTED = /"([^"\s]+)"/g;

const cache = new WeakMap<ApiField, readonly string[] | null>();

export function enumValues(field: ApiField): readonly string[] | undefined {
  const cached = cache.get(field);
  if (cached !== undefined) return cached ?? undefined;
  const found = extract(field);
  cache.set(field, found ?? null);
  return found;
}

function extract(field: ApiField): readonly string[] | undefined {
  if (!field.types.includes('String')) return undefined;
  const text = field.description.trim();
  const single = DISCRIMINATOR.exec(text);
  if (single) return [single[1] ?? single[2]];
  const trigger = ENUM_TRIGGER.exec(text);
  if (!trigger) return undefined;
  const tail = text.slice(trigger.index);
  const values = [...tail.matchAll(QUOTED)].map((m) => m[1]);
  return values.length > 0 ? values : undefined;
}
