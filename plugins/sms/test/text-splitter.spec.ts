import { splitText, TWILIO_MAX_BODY } from '../text-splitter';

describe('splitText', () => {
  it('keeps text up to 1600 characters whole', () => {
    const text = 'x'.repeat(TWILIO_MAX_BODY);
    expect(splitText(text)).toEqual([text]);
  });

  it('splits longer text at spaces, every part within the limit, words in order', () => {
    const words = Array.from({ length: 700 }, (_, i) => `word${i}`);
    const parts = splitText(words.join(' '));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(TWILIO_MAX_BODY);
    expect(parts.join(' ').split(' ')).toEqual(words);
  });

  it('cuts a text without spaces hard, but never inside a surrogate pair', () => {
    const parts = splitText(`a${'😀'.repeat(1000)}`);
    expect(parts.join('')).toBe(`a${'😀'.repeat(1000)}`);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TWILIO_MAX_BODY);
      expect(Array.from(part).every((c) => c === 'a' || c === '😀')).toBe(true);
    }
  });
});
