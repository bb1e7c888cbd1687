import { TelegramRateLimiter } from '../telegram-rate-limiter';

/** A limiter on a clock the test moves. */
function limiter() {
  const clock = { now: 1_000_000 };
  const sut = new TelegramRateLimiter(
    { botPerSecond: 30, botBurst: 5, chatPerSecond: 1, groupPerMinute: 20 },
    () => clock.now,
  );
  /** One send as the transformer makes it, the clock following its waits; its send time. */
  const send = (chatId: string): number => {
    const slot = sut.reserveChat(chatId);
    if (!('waitMs' in slot)) throw new Error('unexpected');
    clock.now += slot.waitMs;
    clock.now += sut.reserveBot(chatId);
    return clock.now - 1_000_000;
  };
  return { sut, clock, send };
}

describe('TelegramRateLimiter', () => {
  it('spaces a bot’s sends to 30/s after a burst of 5, across chats', () => {
    const { sut } = limiter();
    const waits = Array.from({ length: 65 }, (_, i) => {
      expect(sut.reserveChat(String(i + 1))).toEqual({ waitMs: 0 });
      return sut.reserveBot(String(i + 1));
    });
    for (const wait of waits.slice(0, 5)) expect(wait).toBeCloseTo(0, 6);
    expect(waits[5]).toBeCloseTo(1000 / 30, 6);
    expect(waits[64]).toBeCloseTo(60 * (1000 / 30), 6);
  });

  it('allows one message per second to a private chat and one per 3 s to a group', () => {
    const { send } = limiter();
    expect([send('42'), send('42'), send('42')]).toEqual([0, 1000, 2000]);
    const group = [send('-100123'), send('-100123'), send('-100123')];
    expect(group.map((at) => at - group[0])).toEqual([0, 3000, 6000]);
  });

  it('does not let a send waiting for its chat hold back other chats', () => {
    const { sut } = limiter();
    sut.reserveChat('42');
    sut.reserveBot('42');
    expect(sut.reserveChat('42')).toEqual({ waitMs: 1000 });
    // Meanwhile other chats go at once: the bot's slot is only taken when the send is due.
    expect(sut.reserveChat('43')).toEqual({ waitMs: 0 });
    expect(sut.reserveBot('43')).toBeCloseTo(0, 6);
  });

  it('lets time pass: an idle chat starts afresh', () => {
    const { send, clock } = limiter();
    send('7');
    send('7');
    clock.now += 5000;
    const before = clock.now;
    expect(send('7') + 1_000_000).toBe(before);
  });

  it('pauses the whole bot after a 429', () => {
    const { sut, clock } = limiter();
    sut.pause(7000);
    expect(sut.reserveChat('1')).toEqual({ waitMs: 7000 });
    expect(sut.reserveBot('2')).toBe(7000);
    clock.now += 7000;
    expect(sut.reserveChat('3')).toEqual({ waitMs: 0 });
  });

  it('reserves nothing when the chat’s slot is further away than allowed', () => {
    const { sut, send } = limiter();
    send('-5');
    expect(sut.reserveChat('-5', 1000)).toEqual({ tooLong: 3000 });
    expect(sut.reserveChat('-5', 1000)).toEqual({ tooLong: 3000 });
    expect(sut.reserveChat('-5')).toEqual({ waitMs: 3000 });
  });

  it('refuses limits that are not positive', () => {
    expect(
      () =>
        new TelegramRateLimiter({
          botPerSecond: 0,
          botBurst: 1,
          chatPerSecond: 1,
          groupPerMinute: 1,
        }),
    ).toThrow(RangeError);
  });
});
