import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { isRecord, type JsonObject } from '../util/json';
import { addMatrixFormats } from './formats';
import { loadSpecFiles } from './spec-cache';

/**
 * Every YAML file of `data/api` and `data/event-schemas/schema`, registered in one Ajv 2020
 * instance under its `file://` URL, so the spec's relative `$ref`s resolve as written.
 */
export class SchemaRegistry {
  readonly ajv: Ajv2020;
  private readonly docs = new Map<string, JsonObject>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly dataDir: string) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addMatrixFormats(this.ajv);
    for (const [rel, doc] of loadSpecFiles(dataDir, ['api', join('event-schemas', 'schema')])) {
      if (!isRecord(doc)) continue;
      this.docs.set(rel, doc);
      const { $schema: _ignored, ...schema } = doc;
      this.ajv.addSchema(schema, this.url(rel));
    }
  }

  /** `file://` URL of a file given relative to `data/` (e.g. `api/client-server/sync.yaml`). */
  url(rel: string): string {
    return pathToFileURL(join(this.dataDir, rel)).href;
  }

  doc(rel: string): JsonObject | undefined {
    return this.docs.get(rel);
  }

  files(prefix: string): string[] {
    return [...this.docs.keys()].filter((k) => k.startsWith(prefix));
  }

  /** Compiled validator for `rel#pointer` (pointer may be empty for the whole file). */
  validator(rel: string, pointer = ''): ValidateFunction {
    const key = `${rel}#${pointer}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${this.url(rel)}#${pointer}` });
      this.compiled.set(key, fn);
    }
    return fn;
  }
}

const registries = new Map<string, SchemaRegistry>();

/** Loading ~230 files takes about a second; share one registry per spec directory. */
export function schemaRegistry(specDir: string): SchemaRegistry {
  const dataDir = join(specDir, 'data');
  let reg = registries.get(dataDir);
  if (!reg) {
    reg = new SchemaRegistry(dataDir);
    registries.set(dataDir, reg);
  }
  return reg;
}

/** Escape one JSON-pointer segment. */
export function ptr(...segments: string[]): string {
  return segments.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
