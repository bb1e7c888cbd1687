import { countSegments, isGsm7 } from '../gsm7';

// The figures of specs/sms.md §6 (sms-segments-calculator@1.3.0 gives the same counts).
describe('SMS segments', () => {
  it.each([
    ['a'.repeat(160), 'GSM-7', 1],
    ['a'.repeat(161), 'GSM-7', 2],
    ['a'.repeat(306), 'GSM-7', 2],
    ['a'.repeat(307), 'GSM-7', 3],
    ['€'.repeat(80), 'GSM-7', 1],
    ['€'.repeat(81), 'GSM-7', 2],
    ['ç'.repeat(70), 'UCS-2', 1],
    ['ĉ'.repeat(71), 'UCS-2', 2],
    ['ĉ'.repeat(134), 'UCS-2', 2],
    ['ĉ'.repeat(135), 'UCS-2', 3],
    ['😀'.repeat(35), 'UCS-2', 1],
    ['😀'.repeat(36), 'UCS-2', 2],
  ])('%#: %s… is %s in %i segment(s)', (text, encoding, segments) => {
    expect(countSegments(text)).toMatchObject({ encoding, segments });
  });

  it('counts extension characters as two septets', () => {
    expect(countSegments('{}')).toEqual({ encoding: 'GSM-7', segments: 1, units: 4 });
  });

  it('never splits an escape pair across parts', () => {
    // 152 plain septets + "€" (2) = 154 > 153: the pair moves to part two.
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(10)}`).segments).toBe(2);
  });

  it('knows GSM-7 letters and the ones that are not', () => {
    expect(isGsm7('Ça va? Øre Δ ß é')).toBe(true);
    expect(isGsm7('ç')).toBe(false);
    expect(isGsm7('“quoted”')).toBe(false);
    expect(countSegments('')).toEqual({ encoding: 'GSM-7', segments: 0, units: 0 });
  });
});
