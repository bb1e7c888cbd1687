import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Name of the generated key file inside the data directory. */
export const ENCRYPTION_KEY_FILE = 'encryption.key';

const KEY_BYTES = 32;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

export interface LoadEncryptionKeyOptions {
  /** ENCRYPTION_KEY as configured, if any: 32 bytes as base64 (44 chars) or hex (64 chars). */
  configuredKey?: string;
  /** Where `encryption.key` is kept when no key is configured. */
  dataDir: string;
}

export interface LoadedEncryptionKey {
  key: Buffer;
  /** True when this call created a new key file: the caller should log it (and `path`). */
  generated: boolean;
  /** `config` when ENCRYPTION_KEY was set, `file` when the key came from (or went to) the file. */
  source: 'config' | 'file';
  /** The key file, when the key lives in one. */
  path?: string;
  /** Problems worth a warning, e.g. a key file readable by other users. */
  warnings: string[];
}

/**
 * Parses a 32-byte key written as 64 hex characters or as base64 / base64url (44 characters with
 * padding, 43 without). Anything else is rejected: passphrases are not accepted.
 */
export function parseEncryptionKey(text: string, origin = 'ENCRYPTION_KEY'): Buffer {
  const value = text.trim();
  let key: Buffer | undefined;
  if (HEX_KEY.test(value)) key = Buffer.from(value, 'hex');
  else if (BASE64_KEY.test(value))
    key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== KEY_BYTES) {
    throw new Error(
      `${origin} must be ${KEY_BYTES} random bytes written as base64 (44 characters) or hex ` +
        `(64 characters); generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}

/**
 * Returns the key that encrypts secrets at rest. A configured ENCRYPTION_KEY wins; otherwise the key
 * is read from `<dataDir>/encryption.key`, which is created (mode 0600, 32 random bytes in base64)
 * on the first start. Creation is atomic and safe against two processes starting at once: the key
 * is written to a temporary file and hard-linked into place, and the loser of the race reads the
 * winner's key.
 */
export async function loadOrCreateEncryptionKey(
  options: LoadEncryptionKeyOptions,
): Promise<LoadedEncryptionKey> {
  const configured = options.configuredKey?.trim();
  if (configured) {
    return {
      key: parseEncryptionKey(configured),
      generated: false,
      source: 'config',
      warnings: [],
    };
  }
  const path = join(options.dataDir, ENCRYPTION_KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing) return { ...existing, generated: false, source: 'file', path };

  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  if (await createKeyFile(path, key)) {
    return { key, generated: true, source: 'file', path, warnings: [] };
  }
  const raced = await readKeyFile(path);
  if (!raced) throw new Error(`could not create or read the encryption key file ${path}`);
  return { ...raced, generated: false, source: 'file', path };
}

async function readKeyFile(path: string): Promise<{ key: Buffer; warnings: string[] } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  const key = parseEncryptionKey(text, `key file ${path}`);
  const warnings: string[] = [];
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    warnings.push(
      `key file ${path} is accessible by other users (mode ${(mode & 0o777).toString(8)}); ` +
        `run: chmod 600 ${path}`,
    );
  }
  return { key, warnings };
}

/** Writes the key next to its final place and links it there; false if the file appeared first. */
async function createKeyFile(path: string, key: Buffer): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.toString('base64')}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temporary, 0o600);
    await link(temporary, path);
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Duck-typed on purpose: errors from Node's core may come from another realm (e.g. under Jest). */
function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
