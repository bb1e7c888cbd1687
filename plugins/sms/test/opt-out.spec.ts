import { InMemoryStateStore } from '../../../test/conformance';
import { classifyKeyword, OptOutRegistry } from '../opt-out';

describe('opt-out keywords', () => {
  it.each([
    ['STOP', 'STOP'],
    ['  stop ', 'STOP'],
    ['Unsubscribe', 'STOP'],
    ['cancel', 'STOP'],
    ['END', 'STOP'],
    ['quit', 'STOP'],
    ['START', 'START'],
    ['unstop', 'START'],
    ['help', 'HELP'],
  ])('%p is %s', (body, keyword) => {
    expect(classifyKeyword(body)).toBe(keyword);
  });

  it('matches whole messages only', () => {
    expect(classifyKeyword('please stop calling')).toBeUndefined();
    expect(classifyKeyword('STOP IT')).toBeUndefined();
  });

  it("trusts Twilio's OptOutType (custom keywords)", () => {
    expect(classifyKeyword('ARRET', 'STOP')).toBe('STOP');
  });

  it('records STOP per customer and clears it on START', async () => {
    const registry = new OptOutRegistry(new InMemoryStateStore());
    await registry.apply('+15550001', 'STOP', 'stop', '2026-01-01T00:00:00Z');
    expect(await registry.isOptedOut('+15550001')).toBe(true);
    expect(await registry.isOptedOut('+15550002')).toBe(false);
    await registry.apply('+15550001', 'HELP', 'help', '2026-01-01T00:00:01Z');
    expect(await registry.isOptedOut('+15550001')).toBe(true);
    await registry.apply('+15550001', 'START', 'start', '2026-01-01T00:00:02Z');
    expect(await registry.isOptedOut('+15550001')).toBe(false);
  });

  it('keeps the later change: an older STOP or START handled afterwards changes nothing', async () => {
    const state = new InMemoryStateStore();
    const registry = new OptOutRegistry(state);
    await registry.apply('+15550001', 'START', 'Start', '2026-01-01T00:00:05Z');
    await registry.apply('+15550001', 'STOP', 'stop', '2026-01-01T00:00:04Z');
    expect(await registry.isOptedOut('+15550001')).toBe(false);
    expect(await state.get('optout:+15550001')).toEqual({
      keyword: 'START',
      at: '2026-01-01T00:00:05Z',
      optedOut: false,
    });
    // Equal times: the one handled last wins (one process handles an account's webhooks in
    // Twilio's order; Twilio stamps messages to the second).
    await registry.apply('+15550001', 'STOP', 'quit', '2026-01-01T00:00:05Z');
    expect(await registry.isOptedOut('+15550001')).toBe(true);
    await registry.markOptedOut('+15550002', '2026-01-01T00:00:09Z');
    await registry.apply('+15550002', 'START', 'start', '2026-01-01T00:00:08Z');
    expect(await registry.isOptedOut('+15550002')).toBe(true);
  });
});
