import { randomBytes } from 'node:crypto';
import { SecretCipher, SecretDecryptionError } from './secret-cipher';

describe(SecretCipher.name, () => {
  const key = randomBytes(32);
  const sut = new SecretCipher(key);

  it('round-trips text, including unicode and the empty string', () => {
    for (const plaintext of ['bot-token:123', 'pässwörd 🔑', '', 'x'.repeat(10_000)]) {
      expect(sut.decrypt(sut.encrypt(plaintext))).toBe(plaintext);
    }
  });

  it('writes the versioned format v1:<keyId>:<iv>:<tag>:<ciphertext>', () => {
    const payload = sut.encrypt('secret');
    const [version, keyId, iv, tag, data] = payload.split(':');
    expect(version).toBe('v1');
    expect(keyId).toBe(sut.keyId);
    expect(keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64')).toHaveLength(16);
    expect(Buffer.from(data, 'base64')).toHaveLength(6);
    expect(payload).not.toContain('secret');
    expect(SecretCipher.isEncrypted(payload)).toBe(true);
    expect(SecretCipher.isEncrypted('plain text')).toBe(false);
  });

  it('uses a random IV, so equal plaintexts encrypt differently', () => {
    expect(sut.encrypt('same')).not.toBe(sut.encrypt('same'));
  });

  it('detects a tampered ciphertext, tag or IV', () => {
    const [version, keyId, iv, tag, data] = sut.encrypt('hello world').split(':');
    const flip = (text: string): string => {
      const bytes = Buffer.from(text, 'base64');
      bytes[0] ^= 0x01;
      return bytes.toString('base64');
    };
    for (const tampered of [
      [version, keyId, iv, tag, flip(data)],
      [version, keyId, iv, flip(tag), data],
      [version, keyId, flip(iv), tag, data],
    ]) {
      expect(() => sut.decrypt(tampered.join(':'))).toThrow(SecretDecryptionError);
      expect(() => sut.decrypt(tampered.join(':'))).toThrow(/tampered/);
    }
  });

  it('binds a value to its context (additional authenticated data)', () => {
    const payload = sut.encrypt('token', 'hubspot_installs.access_token:1');
    expect(sut.decrypt(payload, 'hubspot_installs.access_token:1')).toBe('token');
    expect(() => sut.decrypt(payload, 'hubspot_installs.access_token:2')).toThrow(
      SecretDecryptionError,
    );
  });

  it('names the key mismatch clearly when decrypting with a wrong key', () => {
    const other = new SecretCipher(randomBytes(32));
    const payload = sut.encrypt('secret');
    expect(() => other.decrypt(payload)).toThrow(SecretDecryptionError);
    expect(() => other.decrypt(payload)).toThrow(
      `encrypted with another key (key id ${sut.keyId}, current ENCRYPTION_KEY has key id ${other.keyId})`,
    );
  });

  it('still fails authentication when a wrong key claims the right key id', () => {
    const forged = sut.encrypt('secret').split(':');
    const other = new SecretCipher(randomBytes(32));
    forged[1] = other.keyId;
    expect(() => other.decrypt(forged.join(':'))).toThrow(/failed authentication/);
  });

  it('rejects malformed input and unknown versions', () => {
    expect(() => sut.decrypt('plain text')).toThrow(/not an encrypted secret/);
    const parts = sut.encrypt('x').split(':');
    parts[0] = 'v9';
    expect(() => sut.decrypt(parts.join(':'))).toThrow(/unsupported secret format version "v9"/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
