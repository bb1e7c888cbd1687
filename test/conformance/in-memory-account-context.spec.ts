import type { InboundEvent } from '../../src/core/adapter';
import { InMemoryAccountContext } from './in-memory-account-context';

const read = (eventId: string): InboundEvent => ({
  type: 'read',
  eventId,
  conversation: { externalId: 'c1' },
  externalMessageIds: ['m1'],
  upToAndIncluding: false,
  timestamp: '2026-11-28T10:00:00.000Z',
});

describe(InMemoryAccountContext.name, () => {
  const sut = () =>
    new InMemoryAccountContext({
      accountId: 'a1',
      credentials: { token: 't' },
      webhookUrl: 'http://gateway.test/adapters/demo/a1',
    });

  it('records emitted events and resolves waiters', async () => {
    const context = sut();
    const waiting = context.waitForEvent((e) => e.eventId === 'e2');
    await context.emit(read('e1'));
    await context.emit(read('e2'));
    await expect(waiting).resolves.toMatchObject({ eventId: 'e2' });
    expect(context.emitted.map((e) => e.eventId)).toEqual(['e1', 'e2']);
  });

  it('waits only for events after `since` and times out with a clear message', async () => {
    const context = sut();
    await context.emit(read('e1'));
    await expect(context.waitForEvent(undefined, { since: 1, timeoutMs: 20 })).rejects.toThrow(
      /no matching event within 20 ms/,
    );
  });

  it('notes events that are not plain JSON', async () => {
    const context = sut();
    const event = { ...read('e1'), timestamp: new Date() as unknown as string };
    await context.emit(event);
    expect(context.notPlainJson).toHaveLength(1);
  });

  it('stores state as JSON and snapshots it', async () => {
    const context = sut();
    await context.state.set('offset', { value: 3 });
    expect(await context.state.get('offset')).toEqual({ value: 3 });
    expect(context.state.snapshot()).toEqual({ offset: { value: 3 } });
    await context.state.delete('offset');
    expect(await context.state.get('offset')).toBeUndefined();
  });

  it('reports what is emitted during a quiet period', async () => {
    const context = sut();
    setTimeout(() => void context.emit(read('late')), 5);
    expect((await context.eventsDuring(30)).map((e) => e.eventId)).toEqual(['late']);
  });
});
