import type { ApiField, ApiMethod, ApiSpec, ApiType } from '../spec/api-spec';
import { enumValues } from '../spec/enum-values';
import { badRequest } from '../http/errors';
import { isUploadedFile, type RawParams } from '../http/uploaded-file';
import { toBoolean, toFloat, toInteger, toStringValue } from './coerce-scalar';

/** Thrown internally while checking one alternative of a union; turned into a 400 at the top. */
class Mismatch {
  constructor(
    readonly path: string,
    readonly reason: string,
    /** How deep the mismatch was found: deeper means the alternative matched better. */
    readonly depth: number,
  ) {}
}

type Params = Record<string, unknown>;

const ARRAY_PREFIX = 'Array of ';

function isPlainObject(value: unknown): value is Params {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !isUploadedFile(value)
  );
}

function humanName(path: string): string {
  return (
    path
      .replace(/\[\d+\]/g, '')
      .split('.')
      .pop()
      ?.replace(/_/g, ' ') ?? path
  );
}

/** Form/multipart/query values of object or array type are JSON-encoded strings. */
function decodeJson(value: unknown, path: string, depth: number): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new Mismatch(path, `can't parse ${humanName(path)} JSON object`, depth);
  }
}

export class ParamsValidator {
  constructor(private readonly spec: ApiSpec) {}

  /**
   * Checks a call's parameters against api.json and returns them coerced to native values
   * (integers, booleans, parsed JSON objects, uploaded files). Unknown parameters are ignored,
   * as Telegram does. Throws a 400 TelegramApiError with a Telegram-like description.
   */
  validate(method: ApiMethod, raw: RawParams): Params {
    const out: Params = {};
    for (const field of method.fields) {
      let value = raw.fields[field.name];
      if (value === undefined && raw.files.has(field.name)) value = raw.files.get(field.name);
      if (value === undefined || value === null) {
        if (field.required) throw badRequest(missingDescription(field));
        continue;
      }
      value = this.resolveAttach(field, value, raw);
      try {
        out[field.name] = this.checkUnion(field.types, value, field.name, field, 0);
      } catch (err) {
        if (err instanceof Mismatch) throw badRequest(err.reason);
        throw err;
      }
    }
    return out;
  }

  /** `attach://<name>` in an InputFile parameter refers to a multipart part of that name. */
  private resolveAttach(field: ApiField, value: unknown, raw: RawParams): unknown {
    if (!field.types.includes('InputFile') || typeof value !== 'string') return value;
    if (!value.startsWith('attach://')) return value;
    const file = raw.files.get(value.slice('attach://'.length));
    if (!file) throw badRequest(`there is no ${field.name} in the request`);
    return file;
  }

  private checkUnion(
    types: readonly string[],
    value: unknown,
    path: string,
    field: ApiField,
    depth: number,
  ): unknown {
    const arrays = types.filter((t) => t.startsWith(ARRAY_PREFIX));
    // "Array of A or Array of B" is checked as "Array of (A or B)"; methods enforce homogeneity.
    const alternatives =
      arrays.length > 1 && arrays.length === types.length
        ? [`${ARRAY_PREFIX}(${arrays.map((t) => t.slice(ARRAY_PREFIX.length)).join('|')})`]
        : [...types];
    let best: Mismatch | undefined;
    for (const type of alternatives) {
      try {
        return this.checkType(type, value, path, field, depth);
      } catch (err) {
        if (!(err instanceof Mismatch)) throw err;
        if (!best || err.depth > best.depth) best = err;
      }
    }
    throw best ?? new Mismatch(path, `${describe(path)} has unsupported type`, depth);
  }

  private checkType(
    type: string,
    value: unknown,
    path: string,
    field: ApiField,
    depth: number,
  ): unknown {
    if (type.startsWith(ARRAY_PREFIX)) {
      const inner = type.slice(ARRAY_PREFIX.length);
      const elementTypes =
        inner.startsWith('(') && inner.endsWith(')') ? inner.slice(1, -1).split('|') : [inner];
      const decoded = decodeJson(value, path, depth);
      if (!Array.isArray(decoded)) {
        throw new Mismatch(path, `${describe(path)} must be an Array`, depth);
      }
      return decoded.map((item, i) =>
        this.checkUnion(elementTypes, item, `${path}[${i}]`, field, depth + 1),
      );
    }
    switch (type) {
      case 'Integer':
        return scalar(toInteger(value), path, 'Integer', depth);
      case 'Float':
        return scalar(toFloat(value), path, 'Float', depth);
      case 'Boolean':
        return scalar(toBoolean(value), path, 'Boolean', depth);
      case 'String': {
        const s = scalar(toStringValue(value), path, 'String', depth);
        const allowed = enumValues(field);
        if (allowed && !allowed.includes(s)) {
          const list = [...new Set(allowed)].map((v) => `"${v}"`).join(', ');
          throw new Mismatch(path, `${describe(path)} must be one of ${list}`, depth + 1);
        }
        return s;
      }
      case 'InputFile':
        if (isUploadedFile(value)) return value;
        throw new Mismatch(path, `${describe(path)} must be an uploaded file`, depth);
      default: {
        const apiType = this.spec.types.get(type);
        if (!apiType) throw new Error(`api.json refers to unknown type ${type}`);
        return this.checkObject(apiType, value, path, depth);
      }
    }
  }

  private checkObject(type: ApiType, value: unknown, path: string, depth: number): Params {
    const decoded = decodeJson(value, path, depth);
    if (!isPlainObject(decoded)) {
      throw new Mismatch(path, `${describe(path)} must be an Object of type ${type.name}`, depth);
    }
    if (type.subtypes.length > 0)
      return this.checkObject(this.pickSubtype(type, decoded, path, depth), decoded, path, depth);
    const out: Params = {};
    for (const field of type.fields) {
      const fieldPath = `${path}.${field.name}`;
      const v = decoded[field.name];
      if (v === undefined || v === null) {
        if (field.required) {
          throw new Mismatch(fieldPath, `${describe(fieldPath)} is required`, depth + 1);
        }
        continue;
      }
      out[field.name] = this.checkUnion(field.types, v, fieldPath, field, depth + 1);
    }
    return out;
  }

  /** Abstract types (InputMedia, ReactionType, BotCommandScope...) are told apart by a constant field. */
  private pickSubtype(type: ApiType, value: Params, path: string, depth: number): ApiType {
    const candidates: string[] = [];
    let discriminator = 'type';
    for (const name of type.subtypes) {
      const sub = this.spec.types.get(name);
      if (!sub) continue;
      const tag = sub.fields.find((f) => f.required && enumValues(f)?.length === 1);
      if (!tag) continue;
      discriminator = tag.name;
      const expected = enumValues(tag)?.[0];
      if (expected !== undefined) candidates.push(expected);
      if (value[tag.name] === expected) return sub;
    }
    const tagPath = `${path}.${discriminator}`;
    if (value[discriminator] === undefined) {
      throw new Mismatch(tagPath, `${describe(tagPath)} is required`, depth + 1);
    }
    const list = candidates.map((c) => `"${c}"`).join(', ');
    throw new Mismatch(tagPath, `${describe(tagPath)} must be one of ${list}`, depth + 1);
  }
}

function scalar<T>(value: T | undefined, path: string, type: string, depth: number): T {
  if (value === undefined) {
    throw new Mismatch(path, `${describe(path)} must be of type ${type}`, depth);
  }
  return value;
}

function describe(path: string): string {
  return path.includes('.') || path.includes('[') ? `field "${path}"` : `parameter "${path}"`;
}

/** Telegram's own wording for the parameters every client hits first; a generic one otherwise. */
function missingDescription(field: ApiField): string {
  if (field.name === 'chat_id') return 'chat_id is empty';
  if (field.name === 'text') return 'message text is empty';
  if (field.types.includes('InputFile')) return `there is no ${field.name} in the request`;
  return `parameter "${field.name}" is required`;
}
