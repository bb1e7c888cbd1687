import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored secret could not be decrypted (wrong key, tampered or malformed value). */
export class SecretDecryptionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretDecryptionError';
  }
}

/**
 * Encrypts secrets at rest (OAuth tokens, channel credentials, adapter state) with AES-256-GCM.
 *
 * Output format, all parts base64 except the key id:
 *
 *     v1:<keyId>:<iv>:<tag>:<ciphertext>
 *
 * - `v1`: format version (AES-256-GCM, 96-bit random IV, 128-bit tag);
 * - `keyId`: first 8 hex characters of SHA-256 of the key; it only serves to tell "encrypted with
 *   another key" apart from "tampered with" in error messages, and reveals nothing usable;
 * - `context` (optional, not stored): additional authenticated data binding a value to where it is
 *   stored (e.g. `channel_accounts.credentials:<id>`), so a ciphertext copied into another row
 *   does not decrypt.
 */
export class SecretCipher {
  /** Identifies the key in the output; not secret. */
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) {
      throw new Error(`encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
    }
    this.key = Buffer.from(key);
    this.keyId = SecretCipher.keyIdOf(key);
  }

  static keyIdOf(key: Buffer): string {
    return createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  /** True when the value looks like the output of `encrypt` (any supported version). */
  static isEncrypted(value: string): boolean {
    return value.startsWith(`${VERSION}:`) && value.split(':').length === 5;
  }

  encrypt(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.keyId, b64(iv), b64(tag), b64(ciphertext)].join(':');
  }

  decrypt(payload: string, context = ''): string {
    const parts = payload.split(':');
    if (parts.length !== 5) {
      throw new SecretDecryptionError(
        'not an encrypted secret (expected v1:<keyId>:<iv>:<tag>:<data>)',
      );
    }
    const [version, keyId, ivText, tagText, dataText] = parts;
    if (version !== VERSION) {
      throw new SecretDecryptionError(`unsupported secret format version "${version}"`);
    }
    if (keyId !== this.keyId) {
      throw new SecretDecryptionError(
        `secret was encrypted with another key (key id ${keyId}, current ENCRYPTION_KEY has key id ` +
          `${this.keyId}): restore the original ENCRYPTION_KEY or data/encryption.key`,
      );
    }
    const iv = Buffer.from(ivText, 'base64');
    const tag = Buffer.from(tagText, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new SecretDecryptionError('malformed encrypted secret (bad IV or tag length)');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      const data = Buffer.from(dataText, 'base64');
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new SecretDecryptionError(
        'encrypted secret failed authentication: it was tampered with, stored under another ' +
          'record, or encrypted with a different key',
        { cause: error },
      );
    }
  }
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64');
}
