import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** One parameter of a method or one field of a type, as api.json describes it. */
export interface ApiField {
  name: string;
  types: string[];
  required: boolean;
  description: string;
}

export interface ApiMethod {
  name: string;
  returns: string[];
  fields: ApiField[];
}

export interface ApiType {
  name: string;
  fields: ApiField[];
  subtypes: string[];
}

/** The parts of the machine-readable Bot API description the simulator relies on. */
export interface ApiSpec {
  version: string;
  /** Keyed by the lower-cased method name (Telegram method names are case-insensitive). */
  methods: Map<string, ApiMethod>;
  types: Map<string, ApiType>;
}

/** Repo root: four levels above test/simulators/telegram/spec, five when running from dist/. */
function defaultSpecPath(): string {
  const fromDist = __dirname.split(sep).includes('dist');
  const repoRoot = resolve(__dirname, fromDist ? '../../../../..' : '../../../..');
  return resolve(repoRoot, '../shared/telegram-bot-api-spec/api.json');
}

export function resolveSpecPath(explicit?: string): string {
  return explicit ?? process.env.TELEGRAM_BOT_API_SPEC ?? defaultSpecPath();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function readFields(value: unknown): ApiField[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((f) => ({
    name: String(f.name),
    types: stringArray(f.types),
    required: f.required === true,
    description: typeof f.description === 'string' ? f.description : '',
  }));
}

export function parseApiSpec(raw: unknown): ApiSpec {
  if (!isRecord(raw) || !isRecord(raw.methods) || !isRecord(raw.types)) {
    throw new Error('api.json: expected an object with "methods" and "types"');
  }
  const methods = new Map<string, ApiMethod>();
  for (const m of Object.values(raw.methods)) {
    if (!isRecord(m) || typeof m.name !== 'string') continue;
    methods.set(m.name.toLowerCase(), {
      name: m.name,
      returns: stringArray(m.returns),
      fields: readFields(m.fields),
    });
  }
  const types = new Map<string, ApiType>();
  for (const t of Object.values(raw.types)) {
    if (!isRecord(t) || typeof t.name !== 'string') continue;
    types.set(t.name, {
      name: t.name,
      fields: readFields(t.fields),
      subtypes: stringArray(t.subtypes),
    });
  }
  return { version: typeof raw.version === 'string' ? raw.version : 'unknown', methods, types };
}

const cache = new Map<string, ApiSpec>();

/** Loads (once per path) and parses api.json. */
export function loadApiSpec(path?: string): ApiSpec {
  const file = resolveSpecPath(path);
  const hit = cache.get(file);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(
      `Telegram simulator: cannot read Bot API spec at ${file} (set TELEGRAM_BOT_API_SPEC): ${String(err)}`,
    );
  }
  const spec = parseApiSpec(JSON.parse(text));
  cache.set(file, spec);
  return spec;
}
