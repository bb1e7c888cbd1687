const REDACTED = '[REDACTED]';

/**
 * Removes secrets from anything that is about to be logged. Two layers: known secret values
 * registered at runtime (decrypted credentials, config secrets) and patterns of secrets that
 * may appear in URLs or headers without having been registered (bot tokens, bearer tokens).
 */
export class SecretRedactor {
  private readonly values = new Set<string>();
  private static readonly PATTERNS: RegExp[] = [
    // Telegram bot tokens, also inside URLs such as /bot<token>/sendMessage.
    /(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}/g,
    // Authorization header values.
    /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
    // Credentials in URLs: scheme://user:password@host
    /(?<=\/\/[^/\s:@]+:)[^@\s/]+(?=@)/g,
    // Secrets passed as query parameters.
    /(?<=[?&](?:hapikey|access_token|token|client_secret|refresh_token|code)=)[^&\s"]+/gi,
  ];

  /** Registers a secret value; values shorter than 6 characters are ignored (too common). */
  register(value: string | undefined | null): void {
    if (value && value.length >= 6) this.values.add(value);
  }

  redact(text: string): string {
    let result = text;
    for (const value of this.values) {
      if (result.includes(value)) result = result.split(value).join(REDACTED);
    }
    for (const pattern of SecretRedactor.PATTERNS) result = result.replace(pattern, REDACTED);
    return result;
  }

  /** Deep copy of a log record with every string redacted. */
  redactDeep(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 8 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => this.redactDeep(item, depth + 1));
    if (value instanceof Error) {
      return {
        type: value.name,
        message: this.redact(value.message),
        stack: this.redact(value.stack ?? ''),
      };
    }
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = this.redactDeep(item, depth + 1);
    return copy;
  }
}

/** Field names whose values are always secrets, wherever they appear in a log record. */
export const SECRET_FIELD_NAMES = [
  'token',
  'botToken',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'authToken',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'apiKey',
  'hapikey',
  'credentials',
  'authorization',
  'encryptionKey',
];
