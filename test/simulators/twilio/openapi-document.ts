import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Loads Twilio's official OpenAPI document (twilio_api_v2010.json, OpenAPI 3.0.1, server
 * https://api.twilio.com) by path and prepares it for express-openapi-validator:
 * - keeps only the operations the simulator serves (others fall through to 404 like unknown paths);
 * - drops `nullable: true` from the 7 schemas that have no `type` (ajv refuses `nullable` without
 *   `type`; a type-less schema already accepts null, so validation is unchanged);
 * - honours Twilio's own `x-twilio.ignoreFormat` marker (MediaUrl items) by removing that `format`.
 * The document is never copied into the repository.
 */

export const SERVED_OPERATIONS: Record<string, string[]> = {
  '/2010-04-01/Accounts/{Sid}.json': ['get'],
  '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json': ['get'],
  '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json': ['get'],
  '/2010-04-01/Accounts/{AccountSid}/Messages.json': ['get', 'post'],
  '/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json': ['get', 'post', 'delete'],
  '/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media.json': ['get'],
  '/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{Sid}.json': ['get', 'delete'],
};

/** The served path template a concrete path matches, if any. */
export function servedPathTemplate(path: string): string | undefined {
  return Object.keys(SERVED_OPERATIONS).find((template) => {
    const pattern = template
      .split(/\{[A-Za-z]+\}/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
    return new RegExp(`^${pattern}$`).test(path);
  });
}

export function defaultOpenApiFile(): string {
  if (process.env.TWILIO_OPENAPI_FILE) return process.env.TWILIO_OPENAPI_FILE;
  // test/simulators/twilio (or dist/test/simulators/twilio) -> repository root
  let dir = resolve(__dirname, '../../..');
  if (dir.endsWith('/dist') || dir.endsWith('\\dist')) dir = resolve(dir, '..');
  return resolve(dir, '../shared/twilio-openapi/twilio_api_v2010.json');
}

const textCache = new Map<string, string>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normalise(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(normalise);
    return;
  }
  if (!isRecord(node)) return;
  const composite = 'type' in node || '$ref' in node || 'allOf' in node || 'oneOf' in node;
  if (node.nullable === true && !composite && !('anyOf' in node)) delete node.nullable;
  const ext = node['x-twilio'];
  if (isRecord(ext) && ext.ignoreFormat === true) delete node.format;
  Object.values(node).forEach(normalise);
}

export interface PreparedDocument {
  openapi: string;
  servers: unknown;
  paths: Record<string, unknown>;
  [key: string]: unknown;
}

export function loadTwilioOpenApi(file: string = defaultOpenApiFile()): PreparedDocument {
  let text = textCache.get(file);
  if (text === undefined) {
    text = readFileSync(file, 'utf8');
    textCache.set(file, text);
  }
  const doc: unknown = JSON.parse(text);
  if (!isRecord(doc) || typeof doc.openapi !== 'string' || !isRecord(doc.paths)) {
    throw new Error(`${file} is not an OpenAPI document`);
  }
  const paths: Record<string, unknown> = {};
  for (const [path, methods] of Object.entries(SERVED_OPERATIONS)) {
    const item = doc.paths[path];
    if (!isRecord(item)) throw new Error(`${file} lacks ${path}`);
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(key) || methods.includes(key)) {
        kept[key] = value;
      }
    }
    paths[path] = kept;
  }
  const prepared: PreparedDocument = { ...doc, openapi: doc.openapi, servers: doc.servers, paths };
  normalise(prepared);
  return prepared;
}
