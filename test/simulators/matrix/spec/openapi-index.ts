import { posix } from 'node:path';
import { asString, isRecord, type JsonObject } from '../util/json';
import { ptr, type SchemaRegistry } from './schema-registry';

export type AuthRequirement = 'none' | 'optional' | 'user' | 'appservice';

export interface SchemaLocation {
  rel: string;
  pointer: string;
}

export interface ParamSpec {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: SchemaLocation;
  /** Top-level `type` of the schema, used to coerce query strings. */
  type?: string;
}

export interface Operation {
  operationId: string;
  method: string;
  /** Full path template, e.g. `/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}`. */
  template: string;
  file: string;
  auth: AuthRequirement;
  params: ParamSpec[];
  body?: SchemaLocation & { required: boolean };
  /** The request body is raw bytes (media upload), not JSON. */
  rawBody: boolean;
}

interface CompiledPath {
  template: string;
  regex: RegExp;
  names: string[];
  literalLength: number;
  byMethod: Map<string, Operation[]>;
}

export interface OperationMatch {
  ops: Operation[];
  /** Decoded path parameters. */
  pathParams: Record<string, string>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function basePathOf(doc: JsonObject): string {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first: unknown = servers[0];
  if (!isRecord(first)) return '';
  const vars = isRecord(first.variables) ? first.variables : {};
  const base = isRecord(vars.basePath) ? asString(vars.basePath.default) : undefined;
  return base ?? '';
}

function compileTemplate(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const parts = template.split(/(\{[^}]+\})/);
  let source = '';
  parts.forEach((part, i) => {
    const m = /^\{([^}]+)\}$/.exec(part);
    if (!m) {
      source += part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      return;
    }
    names.push(m[1]);
    // The spec allows omitting an empty trailing state key (`/state/{eventType}`).
    const last = i === parts.length - 2 && parts[parts.length - 1] === '';
    if (last && m[1] === 'stateKey') source = source.replace(/\/$/, '') + '(?:/([^/]*))?';
    else source += '([^/]+)';
  });
  return { regex: new RegExp(`^${source}/?$`), names };
}

/** Index of every operation of the client-server and application-service OpenAPI files. */
export class OpenApiIndex {
  private readonly paths: CompiledPath[] = [];
  readonly byOperationId = new Map<string, Operation>();

  constructor(private readonly registry: SchemaRegistry) {
    for (const rel of registry.files('api/')) this.addFile(rel);
    this.paths.sort((a, b) => b.literalLength - a.literalLength);
  }

  match(method: string, rawPath: string): OperationMatch | { methodNotAllowed: true } | undefined {
    let sawPath = false;
    for (const p of this.paths) {
      const m = p.regex.exec(rawPath);
      if (!m) continue;
      sawPath = true;
      const ops = p.byMethod.get(method.toLowerCase());
      if (!ops) continue;
      const pathParams: Record<string, string> = {};
      p.names.forEach((name, i) => {
        pathParams[name] = safeDecode(m[i + 1] ?? '');
      });
      return { ops, pathParams };
    }
    return sawPath ? { methodNotAllowed: true } : undefined;
  }

  private addFile(rel: string): void {
    const doc = this.registry.doc(rel);
    if (!doc || !isRecord(doc.paths)) return;
    const base = basePathOf(doc);
    for (const [rawPath, item] of Object.entries(doc.paths)) {
      if (!isRecord(item)) continue;
      // Some files use a trailing space to avoid duplicate keys across files (e.g. `/invite `).
      const template = base + rawPath.trim();
      const compiled = this.compiledPath(template);
      const shared = (Array.isArray(item.parameters) ? item.parameters : []).map((raw, i) => ({
        raw,
        pointer: ptr('paths', rawPath, 'parameters', String(i)),
      }));
      for (const method of METHODS) {
        const op = item[method];
        if (!isRecord(op)) continue;
        const pointerBase = ptr('paths', rawPath, method);
        const operation = this.operation(rel, doc, template, method, op, pointerBase, shared);
        const list = compiled.byMethod.get(method) ?? [];
        list.push(operation);
        compiled.byMethod.set(method, list);
        if (!this.byOperationId.has(operation.operationId)) {
          this.byOperationId.set(operation.operationId, operation);
        }
      }
    }
  }

  private compiledPath(template: string): CompiledPath {
    const existing = this.paths.find((p) => p.template === template);
    if (existing) return existing;
    const { regex, names } = compileTemplate(template);
    const literalLength = template.replace(/\{[^}]+\}/g, '').length;
    const created = { template, regex, names, literalLength, byMethod: new Map() };
    this.paths.push(created);
    return created;
  }

  private operation(
    rel: string,
    doc: JsonObject,
    template: string,
    method: string,
    op: JsonObject,
    pointerBase: string,
    shared: { raw: unknown; pointer: string }[],
  ): Operation {
    const params: ParamSpec[] = [];
    const own = Array.isArray(op.parameters) ? op.parameters : [];
    shared.forEach((p) => this.addParam(params, rel, p.raw, p.pointer));
    own.forEach((p, i) =>
      this.addParam(params, rel, p, pointerBase + ptr('parameters', String(i))),
    );
    const security = Array.isArray(op.security) ? op.security : doc.security;
    return {
      operationId: asString(op.operationId) ?? `${method} ${template}`,
      method,
      template,
      file: rel,
      auth: authOf(security),
      params,
      ...this.bodyOf(rel, op, pointerBase),
    };
  }

  private bodyOf(
    rel: string,
    op: JsonObject,
    pointerBase: string,
  ): Pick<Operation, 'body' | 'rawBody'> {
    const resolved = this.resolve(rel, op.requestBody, pointerBase + ptr('requestBody'));
    if (!resolved || !isRecord(resolved.value.content)) return { rawBody: false };
    const { value, loc } = resolved;
    const content = value.content as JsonObject;
    const required = value.required === true;
    if (isRecord(content['application/json'])) {
      const pointer = loc.pointer + ptr('content', 'application/json', 'schema');
      return { rawBody: false, body: { rel: loc.rel, pointer, required } };
    }
    return { rawBody: true };
  }

  private addParam(out: ParamSpec[], rel: string, raw: unknown, pointer: string): void {
    const resolved = this.resolve(rel, raw, pointer);
    if (!resolved) return;
    const { value, loc } = resolved;
    const where = value.in;
    if ((where !== 'path' && where !== 'query') || typeof value.name !== 'string') return;
    const schema = isRecord(value.schema) ? value.schema : undefined;
    out.push({
      name: value.name,
      in: where,
      required: value.required === true,
      schema: { rel: loc.rel, pointer: loc.pointer + ptr('schema') },
      type: schema ? asString(schema.type) : undefined,
    });
  }

  /** Follows one `$ref` (local or relative file) to the referenced object. */
  private resolve(
    rel: string,
    raw: unknown,
    pointer: string,
  ): { value: JsonObject; loc: SchemaLocation } | undefined {
    if (!isRecord(raw)) return undefined;
    const ref = asString(raw.$ref);
    if (!ref) return { value: raw, loc: { rel, pointer } };
    const [file, frag = ''] = ref.split('#');
    const targetRel = file ? posix.normalize(posix.join(posix.dirname(rel), file)) : rel;
    let node: unknown = this.registry.doc(targetRel);
    for (const seg of frag.split('/').filter(Boolean)) {
      node = isRecord(node) ? node[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    return isRecord(node) ? { value: node, loc: { rel: targetRel, pointer: frag } } : undefined;
  }
}

function authOf(security: unknown): AuthRequirement {
  if (!Array.isArray(security) || security.length === 0) return 'none';
  const schemes = security.filter(isRecord).flatMap((s) => Object.keys(s));
  if (security.some((s) => isRecord(s) && Object.keys(s).length === 0)) return 'optional';
  if (schemes.includes('accessTokenBearer')) return 'user';
  if (schemes.includes('appserviceAccessTokenBearer')) return 'appservice';
  return 'none';
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
