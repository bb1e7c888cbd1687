import { resolve } from 'node:path';
import { badRequest, TelegramApiError } from './http/errors';
import { loadApiSpec, resolveSpecPath } from './spec/api-spec';
import { enumValues } from './spec/enum-values';
import { ParamsValidator } from './validation/validate-params';

const SCALARS = new Set(['Integer', 'Float', 'Boolean', 'String', 'InputFile']);

describe('Telegram simulator: api.json loading', () => {
  const spec = loadApiSpec();

  it('resolves the default path next to the repo and honours TELEGRAM_BOT_API_SPEC', () => {
    const saved = process.env.TELEGRAM_BOT_API_SPEC;
    delete process.env.TELEGRAM_BOT_API_SPEC;
    expect(resolveSpecPath()).toBe(
      resolve(__dirname, '../../../../shared/telegram-bot-api-spec/api.json'),
    );
    process.env.TELEGRAM_BOT_API_SPEC = '/tmp/other.json';
    expect(resolveSpecPath()).toBe('/tmp/other.json');
    if (saved === undefined) delete process.env.TELEGRAM_BOT_API_SPEC;
    else process.env.TELEGRAM_BOT_API_SPEC = saved;
  });

  it('loads every method and every referenced type', () => {
    expect(spec.methods.size).toBeGreaterThan(150);
    expect(spec.methods.get('sendmessage')?.name).toBe('sendMessage');
    const unresolved: string[] = [];
    const check = (owner: string, types: string[]): void => {
      for (const t of types) {
        const base = t.replace(/^(Array of )+/, '');
        if (!SCALARS.has(base) && !spec.types.has(base)) unresolved.push(`${owner}: ${t}`);
      }
    };
    for (const m of spec.methods.values()) for (const f of m.fields) check(m.name, f.types);
    for (const t of spec.types.values()) for (const f of t.fields) check(t.name, f.types);
    expect(unresolved).toEqual([]);
  });

  it('extracts enumerations and discriminators from the prose', () => {
    const field = (type: string, name: string) => {
      const found = spec.types.get(type)?.fields.find((f) => f.name === name);
      if (!found) throw new Error(`${type}.${name} missing`);
      return found;
    };
    expect(enumValues(field('InputMediaPhoto', 'type'))).toEqual(['photo']);
    expect(enumValues(field('ReactionTypeEmoji', 'type'))).toEqual(['emoji']);
    expect(enumValues(field('Chat', 'type'))).toEqual([
      'private',
      'group',
      'supergroup',
      'channel',
    ]);
    expect(enumValues(field('MessageEntity', 'type'))).toContain('expandable_blockquote');
    expect(enumValues(field('InputMediaPhoto', 'caption'))).toBeUndefined();
  });

  it('validates every method generically without crashing', () => {
    const validator = new ParamsValidator(spec);
    const outcomes = { ok: 0, rejected: 0 };
    for (const method of spec.methods.values()) {
      try {
        validator.validate(method, { fields: {}, files: new Map() });
        outcomes.ok += 1;
        expect(method.fields.filter((f) => f.required)).toEqual([]);
      } catch (err) {
        expect(err).toBeInstanceOf(TelegramApiError);
        expect((err as TelegramApiError).errorCode).toBe(400);
        outcomes.rejected += 1;
      }
    }
    expect(outcomes.ok).toBeGreaterThan(5);
    expect(outcomes.rejected).toBeGreaterThan(100);
  });

  it('keeps the envelope shape of errors', () => {
    expect(badRequest('x', { retry_after: 2 }).toJSON()).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: x',
      parameters: { retry_after: 2 },
    });
  });
});
