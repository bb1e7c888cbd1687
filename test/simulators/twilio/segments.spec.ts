import { countSegments } from './segments';

describe('segment counting (GSM-7 vs UCS-2)', () => {
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
    ['Hello ÄÖÑÜ ΔΦΓ é', 'GSM-7', 1],
  ])('%#: %s chars', (text, encoding, segments) => {
    expect(countSegments(text)).toMatchObject({ encoding, segments });
  });

  it('never splits an escape pair across parts', () => {
    // 152 plain septets then '€' (2 septets) cannot fit the first 153-septet part.
    const info = countSegments(`${'a'.repeat(152)}€${'a'.repeat(10)}`);
    expect(info).toEqual({ encoding: 'GSM-7', segments: 2, units: 164 });
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`).segments).toBe(3);
  });
});
