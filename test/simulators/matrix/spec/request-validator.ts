import { badJson, invalidParam, MatrixError, missingParam } from '../http/errors';
import { isRecord } from '../util/json';
import { describeErrors } from './error-text';
import type { Operation, ParamSpec } from './openapi-index';
import type { SchemaRegistry } from './schema-registry';

export type QueryInput = Record<string, unknown>;

function coerce(param: ParamSpec, raw: unknown): unknown {
  const value = Array.isArray(raw) && param.type !== 'array' ? raw[raw.length - 1] : raw;
  if (typeof value !== 'string') return value;
  switch (param.type) {
    case 'integer':
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'array':
      return [value];
    default:
      return value;
  }
}

/**
 * Validates path and query parameters and the JSON body of a request against the OpenAPI
 * operation(s) it matched. Returns the coerced query values by name.
 */
export class RequestValidator {
  constructor(private readonly registry: SchemaRegistry) {}

  validate(
    ops: Operation[],
    pathParams: Record<string, string>,
    query: QueryInput,
    body: unknown,
  ): Record<string, unknown> {
    const op = ops[0];
    const coerced: Record<string, unknown> = {};
    for (const param of op.params) {
      const raw = param.in === 'path' ? pathParams[param.name] : query[param.name];
      if (raw === undefined) {
        if (param.required) throw missingParam(`Missing ${param.in} parameter '${param.name}'`);
        continue;
      }
      const value = coerce(param, raw);
      const fn = this.registry.validator(param.schema.rel, param.schema.pointer);
      if (!fn(value)) {
        throw invalidParam(
          `Invalid ${param.in} parameter '${param.name}': ${describeErrors(fn.errors, param.name)} ` +
            `(${op.operationId}, ${op.file})`,
        );
      }
      coerced[param.name] = value;
    }
    this.validateBody(ops, body);
    return coerced;
  }

  private validateBody(ops: Operation[], body: unknown): void {
    const withBody = ops.filter((o) => o.body);
    if (withBody.length === 0) return;
    if (body === undefined) {
      if (withBody.some((o) => o.body?.required)) {
        throw new MatrixError(400, 'M_NOT_JSON', 'Content not JSON: a JSON body is required');
      }
      return;
    }
    if (!isRecord(body)) throw badJson('Request body must be a JSON object');
    let first: MatrixError | undefined;
    for (const op of withBody) {
      const loc = op.body;
      if (!loc) continue;
      const fn = this.registry.validator(loc.rel, loc.pointer);
      if (fn(body)) return;
      first ??= badJson(
        `Invalid request body: ${describeErrors(fn.errors, 'body')} (${op.operationId}, ${op.file})`,
      );
    }
    if (first) throw first;
  }
}
