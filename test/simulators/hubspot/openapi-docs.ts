import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HubSpotSimulatorOptions } from './options';

/** A JSON object of an OpenAPI document; narrowed where it is read. */
export type JsonObject = Record<string, unknown>;

export const OPENAPI_FILES = [
  'custom-channels.v3.json',
  'custom-channels.2026-03.json',
  'files.v3.json',
  'tickets.v3.json',
  'conversations.v3.json',
  'associations.v4.json',
  'owners.v3.json',
  'oauth.v1.json',
] as const;

export interface LoadedDoc {
  file: string;
  doc: JsonObject;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(parent: JsonObject, key: string): JsonObject {
  const v = parent[key];
  if (!isObject(v)) throw new Error(`OpenAPI document: "${key}" is not an object`);
  return v;
}

const CHANNEL_DEFINITION_PREFIXES = [
  '/conversations/custom-channels/v3',
  '/conversations/v3/custom-channels',
  '/conversations/custom-channels/2026-03',
];

/**
 * Channel-definition endpoints declare `security: []`; HubSpot authenticates them with the
 * developer API key in the query (`hapikey`, plus `appId` on create/list; spec 1.3). Declare
 * both so the validator's unknown-query-parameter check does not reject them.
 */
function addDeveloperKeyParams(doc: JsonObject): void {
  const paths = obj(doc, 'paths');
  for (const [p, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const isDefinition = CHANNEL_DEFINITION_PREFIXES.some(
      (prefix) => p === prefix || p === `${prefix}/{channelId}`,
    );
    if (!isDefinition) continue;
    for (const op of Object.values(item)) {
      if (!isObject(op)) continue;
      const params = Array.isArray(op.parameters) ? op.parameters : [];
      params.push(
        { name: 'hapikey', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'appId', in: 'query', required: false, schema: { type: 'integer' } },
      );
      op.parameters = params;
    }
  }
}

/**
 * The v3 document lists create/list at `/conversations/custom-channels/v3`, while HubSpot's guide
 * and SDKs use `/conversations/v3/custom-channels` (with and without trailing slash, spec 2).
 * Serve and validate all spellings with the same operation.
 */
function addPathAliases(doc: JsonObject): void {
  const paths = obj(doc, 'paths');
  const aliases: Record<string, string[]> = {
    '/conversations/custom-channels/v3': [
      '/conversations/custom-channels/v3/',
      '/conversations/v3/custom-channels',
      '/conversations/v3/custom-channels/',
    ],
    '/conversations/custom-channels/2026-03': ['/conversations/custom-channels/2026-03/'],
  };
  for (const [source, targets] of Object.entries(aliases)) {
    const item = paths[source];
    if (!isObject(item)) continue;
    for (const t of targets) paths[t] = item;
  }
}

/**
 * The documents type `capabilities` as map<string, object>, but real values are booleans,
 * integers, strings and string arrays (spec 3.2/3.3). Accept any object here; capabilities.ts
 * validates the keys and values with HubSpot's real error (spec 3.4).
 * The PATCH body types every field as `object` and requires all six: a generator artefact of
 * optional fields. Use real types and require `channelPatchRequiredFields` (SDK: three).
 */
function fixChannelSchemas(doc: JsonObject, options: HubSpotSimulatorOptions): void {
  const schemas = obj(obj(doc, 'components'), 'schemas');
  for (const name of ['PublicChannelIntegrationChannelCreate', 'PublicChannelIntegrationChannel']) {
    const s = schemas[name];
    if (isObject(s)) obj(s, 'properties').capabilities = { type: 'object' };
  }
  schemas.PublicChannelIntegrationChannelPatch = {
    type: 'object',
    required: options.channelPatchRequiredFields,
    properties: {
      name: { type: 'string' },
      webhookUrl: { type: 'string' },
      channelAccountConnectionRedirectUrl: { type: 'string' },
      channelDescription: { type: 'string' },
      channelLogoUrl: { type: 'string' },
      capabilities: { type: 'object' },
    },
  };
}

/**
 * Spec 6.2: HubSpot accepts publishes without `recipients`, `timestamp` and `attachments`
 * (Botpress in production), so the simulator enforces only `channelAccountId`,
 * `messageDirection`, non-empty `senders` and `text` unless strictPublishRequiredFields is set.
 */
function fixMessageEgg(doc: JsonObject, options: HubSpotSimulatorOptions): void {
  const schemas = obj(obj(doc, 'components'), 'schemas');
  const egg = schemas.ChannelIntegrationMessageEgg;
  if (!isObject(egg)) return;
  if (!options.strictPublishRequiredFields) {
    egg.required = ['channelAccountId', 'messageDirection', 'senders', 'text'];
  }
  const senders = obj(egg, 'properties').senders;
  if (isObject(senders)) senders.minItems = 1;
}

const TICKETS_SEARCH = '/crm/v3/objects/tickets/search';
export const CONTACTS_SEARCH = '/crm/v3/objects/contacts/search';

/**
 * HubSpot's public document collection has no contacts document, but CRM search is one generic
 * operation for every object type (`PublicObjectSearchRequest` in, `...WithTotal...` out). So the
 * contacts search is added to the tickets document as a copy of its search operation: the body
 * is validated against the same schema, and only the scope differs (UNCLEAR whether HubSpot also
 * accepts `crm.objects.contacts.write` alone; the simulator asks for read).
 */
function addContactsSearch(doc: JsonObject): void {
  const paths = obj(doc, 'paths');
  const tickets = obj(obj(paths, TICKETS_SEARCH), 'post');
  paths[CONTACTS_SEARCH] = {
    post: {
      ...tickets,
      summary: 'Search for contacts',
      operationId: `post-${CONTACTS_SEARCH}_doSearch`,
      security: [{ oauth2: ['crm.objects.contacts.read'] }],
    },
  };
}

export function loadOpenApiDocs(options: HubSpotSimulatorOptions): LoadedDoc[] {
  return OPENAPI_FILES.map((file) => {
    const raw: unknown = JSON.parse(fs.readFileSync(path.join(options.openApiDir, file), 'utf8'));
    if (!isObject(raw)) throw new Error(`${file} is not an OpenAPI document`);
    if (file.startsWith('custom-channels')) {
      addPathAliases(raw);
      addDeveloperKeyParams(raw);
      fixChannelSchemas(raw, options);
      fixMessageEgg(raw, options);
    }
    if (file === 'tickets.v3.json') addContactsSearch(raw);
    return { file, doc: raw };
  });
}

/** The oauth2 scope alternatives of an operation (any one suffices), or undefined if none. */
export function scopeAlternatives(
  docs: LoadedDoc[],
  docPath: string,
  method: string,
): string[][] | undefined {
  for (const { doc } of docs) {
    const item = obj(doc, 'paths')[docPath];
    if (!isObject(item)) continue;
    const op = item[method.toLowerCase()];
    if (!isObject(op) || !Array.isArray(op.security)) continue;
    const alternatives: string[][] = [];
    for (const req of op.security) {
      if (isObject(req) && Array.isArray(req.oauth2)) {
        alternatives.push(req.oauth2.filter((s): s is string => typeof s === 'string'));
      }
    }
    return alternatives.length > 0 ? alternatives : undefined;
  }
  return undefined;
}

/**
 * Responses are not validated, but express-openapi-validator preprocesses their schemas at start
 * (seconds for these documents). Keep only response descriptions.
 */
function withoutResponseSchemas(
  item: unknown,
  p: string,
  served?: Set<string>,
): JsonObject | undefined {
  if (!isObject(item)) return undefined;
  const out: JsonObject = {};
  let any = false;
  for (const [method, op] of Object.entries(item)) {
    if (!isObject(op)) {
      out[method] = op;
      continue;
    }
    // Operations the simulator does not serve are left out: they would answer 404 anyway.
    if (served && !served.has(`${method} ${p}`)) continue;
    out[method] = { ...op, responses: { default: { description: 'not validated' } } };
    any = true;
  }
  return any ? out : undefined;
}

/** Drops components no kept operation references (the validator preprocesses all of them). */
function pruneComponents(doc: JsonObject): void {
  const components = obj(doc, 'components');
  const keep = new Set<string>();
  const stack: unknown[] = [doc.paths];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...(v as unknown[]));
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        const m =
          k === '$ref' && typeof x === 'string' ? /^#\/components\/(\w+)\/(.+)$/.exec(x) : null;
        if (m) {
          const key = `${m[1]}/${m[2]}`;
          const section = components[m[1]];
          if (!keep.has(key) && isObject(section)) {
            keep.add(key);
            stack.push(section[m[2]]);
          }
        } else stack.push(x);
      }
    }
  }
  for (const [section, items] of Object.entries(components)) {
    if (section === 'securitySchemes' || !isObject(items)) continue;
    for (const name of Object.keys(items)) if (!keep.has(`${section}/${name}`)) delete items[name];
  }
}

function rewriteRefs(node: unknown, tag: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, tag));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') {
      out[k] = v.replace(/^#\/components\/(\w+)\/(.+)$/, `#/components/$1/${tag}__$2`);
    } else {
      out[k] = rewriteRefs(v, tag);
    }
  }
  return out;
}

/**
 * Merges the documents into one (each express-openapi-validator instance costs about a second
 * to initialise). Component names collide between documents (Error, Paging, ...), so each
 * document's components are prefixed with its file tag and its $refs rewritten accordingly.
 * Every document's server is https://api.hubapi.com (no base path), so paths merge unchanged.
 */
export function mergeOpenApiDocs(docs: LoadedDoc[], served?: Set<string>): JsonObject {
  const paths: JsonObject = {};
  const components: Record<string, JsonObject> = {};
  let securitySchemes: unknown;
  for (const { file, doc } of docs) {
    const tag = file.replace(/\.json$/, '').replace(/[^A-Za-z0-9]/g, '_');
    const rewritten = rewriteRefs(doc, tag);
    if (!isObject(rewritten)) continue;
    for (const [p, item] of Object.entries(obj(rewritten, 'paths'))) {
      if (paths[p] !== undefined) throw new Error(`OpenAPI path ${p} is defined twice`);
      const kept = withoutResponseSchemas(item, p, served);
      if (kept) paths[p] = kept;
    }
    const comps = isObject(rewritten.components) ? rewritten.components : {};
    for (const [section, items] of Object.entries(comps)) {
      if (section === 'securitySchemes') {
        securitySchemes ??= items;
        continue;
      }
      if (!isObject(items)) continue;
      const target = (components[section] ??= {});
      for (const [name, value] of Object.entries(items)) target[`${tag}__${name}`] = value;
    }
  }
  const merged: JsonObject = {
    openapi: '3.0.1',
    info: { title: 'HubSpot (merged for the simulator)', version: '1' },
    servers: [{ url: 'https://api.hubapi.com' }],
    paths,
    components: { ...components, ...(securitySchemes ? { securitySchemes } : {}) },
  };
  pruneComponents(merged);
  return merged;
}
