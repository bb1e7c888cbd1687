import { batchedReads, paddedKeys } from './batched-reads';

describe('batchedReads', () => {
  it('loads the keys asked for in one turn of the event loop together, without caching', async () => {
    const calls: string[][] = [];
    const values: Record<string, number> = { a: 1, b: 2 };
    const reads = batchedReads<string, number>(async (keys) => {
      calls.push([...keys]);
      return keys.map((key) => values[key]);
    });
    // Asked from separate callbacks of one I/O poll, as concurrent jobs do.
    const asked = await new Promise<Promise<number | undefined>[]>((resolve) => {
      const pending: Promise<number | undefined>[] = [];
      setImmediate(() => pending.push(reads.load('a')));
      setImmediate(() => pending.push(reads.load('b')));
      setImmediate(() => {
        pending.push(reads.load('missing'));
        resolve(pending);
      });
    });
    expect(await Promise.all(asked)).toEqual([1, 2, undefined]);
    expect(calls).toEqual([['a', 'b', 'missing']]);
    values.a = 10;
    expect(await reads.load('a')).toBe(10);
    expect(calls).toHaveLength(2);
  });

  it('pads a list of keys to a power of two with its last key', () => {
    expect(paddedKeys(['a'])).toEqual(['a']);
    expect(paddedKeys(['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'c']);
    expect(paddedKeys(['a', 'b', 'c', 'd', 'e'])).toHaveLength(8);
  });
});
