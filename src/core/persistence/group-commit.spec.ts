import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes the items submitted while a write is in flight together in the next one', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const commit = new GroupCommit<number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = commit.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((n) => commit.submit(n));
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    // Idle again: the next item is written on its own.
    await commit.submit(5);
    expect(batches.at(-1)).toEqual([5]);
  });

  it('joins the items of one turn of the event loop and caps a batch', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number>(async (items) => {
      batches.push(items);
    }, 3);
    await Promise.all([1, 2, 3, 4, 5].map((n) => commit.submit(n)));
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('writes a failed batch again item by item: only the refused item fails', async () => {
    const written: number[] = [];
    const commit = new GroupCommit<number>(async (items) => {
      if (items.includes(2)) throw new Error('refused 2');
      written.push(...items);
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => commit.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused 2'));
    expect(written).toEqual([1, 3]);
  });
});
