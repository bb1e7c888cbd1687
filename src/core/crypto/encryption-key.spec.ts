import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENCRYPTION_KEY_FILE,
  loadOrCreateEncryptionKey,
  parseEncryptionKey,
} from './encryption-key';

describe(loadOrCreateEncryptionKey.name, () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gw-key-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uses a configured base64 key and writes no file', async () => {
    const key = randomBytes(32);
    const loaded = await loadOrCreateEncryptionKey({
      configuredKey: key.toString('base64'),
      dataDir,
    });
    expect(loaded).toEqual({ key, generated: false, source: 'config', warnings: [] });
    await expect(stat(join(dataDir, ENCRYPTION_KEY_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('uses a configured hex key', async () => {
    const key = randomBytes(32);
    const loaded = await loadOrCreateEncryptionKey({ configuredKey: key.toString('hex'), dataDir });
    expect(loaded.key.equals(key)).toBe(true);
  });

  it('rejects a configured key of the wrong size or a passphrase', async () => {
    for (const configuredKey of [randomBytes(16).toString('base64'), 'correct horse battery']) {
      await expect(loadOrCreateEncryptionKey({ configuredKey, dataDir })).rejects.toThrow(
        /ENCRYPTION_KEY must be 32 random bytes .* openssl rand -base64 32/,
      );
    }
  });

  it('generates a key file with mode 0600 on first start and reuses it later', async () => {
    const nested = join(dataDir, 'data');
    const first = await loadOrCreateEncryptionKey({ dataDir: nested });
    const path = join(nested, ENCRYPTION_KEY_FILE);
    expect(first).toMatchObject({ generated: true, source: 'file', path, warnings: [] });
    expect(first.key).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readFile(path, 'utf8')).trim()).toBe(first.key.toString('base64'));

    const second = await loadOrCreateEncryptionKey({ dataDir: nested });
    expect(second).toMatchObject({ generated: false, source: 'file', path });
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('creates exactly one key when several starts race', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => loadOrCreateEncryptionKey({ dataDir })),
    );
    expect(results.filter((r) => r.generated)).toHaveLength(1);
    for (const result of results) expect(result.key.equals(results[0].key)).toBe(true);
  });

  it('warns about a key file readable by others', async () => {
    const path = join(dataDir, ENCRYPTION_KEY_FILE);
    await writeFile(path, randomBytes(32).toString('base64'));
    await chmod(path, 0o644);
    const loaded = await loadOrCreateEncryptionKey({ dataDir });
    expect(loaded.warnings).toEqual([expect.stringContaining('chmod 600')]);
  });

  it('fails clearly on a corrupt key file instead of replacing it', async () => {
    const path = join(dataDir, ENCRYPTION_KEY_FILE);
    await writeFile(path, 'garbage', { mode: 0o600 });
    await expect(loadOrCreateEncryptionKey({ dataDir })).rejects.toThrow(
      `key file ${path} must be`,
    );
  });
});

describe(parseEncryptionKey.name, () => {
  it('accepts base64url and trims whitespace', () => {
    const key = randomBytes(32);
    expect(parseEncryptionKey(` ${key.toString('base64url')}\n`).equals(key)).toBe(true);
  });
});
