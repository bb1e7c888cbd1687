import { parseConversationListQuery } from './conversation-list.query';

describe('parseConversationListQuery', () => {
  it('defaults to the first 100 conversations of every account', () => {
    expect(parseConversationListQuery({})).toEqual({
      filter: { limit: 100, offset: 0 },
      problems: [],
    });
  });

  it('takes adapter, account, status and paging', () => {
    const parsed = parseConversationListQuery({
      adapter: 'echo',
      account: 'acc-1',
      status: 'CLOSED',
      limit: '500',
      offset: '40',
      unrelated: 'ignored',
    });
    expect(parsed).toEqual({
      filter: { adapterId: 'echo', accountId: 'acc-1', status: 'CLOSED', limit: 500, offset: 40 },
      problems: [],
    });
  });

  it('treats empty adapter and account as no filter', () => {
    expect(parseConversationListQuery({ adapter: '', account: '' }).filter).toEqual({
      limit: 100,
      offset: 0,
    });
  });

  it.each([
    [{ status: 'open' }, 'status: must be OPEN or CLOSED (got "open")'],
    [{ limit: '0' }, 'limit: must be an integer from 1 to 500 (got "0")'],
    [{ limit: '501' }, 'limit: must be an integer from 1 to 500 (got "501")'],
    [{ limit: '2.5' }, 'limit: must be an integer from 1 to 500 (got "2.5")'],
    [{ limit: 'ten' }, 'limit: must be an integer from 1 to 500 (got "ten")'],
    [{ offset: '-1' }, 'offset: must be an integer >= 0 (got "-1")'],
    [{ status: ['OPEN', 'CLOSED'] }, 'status: must be given once, as a plain value'],
  ])('reports %j as a problem naming the parameter', (query, problem) => {
    expect(parseConversationListQuery(query).problems).toEqual([problem]);
  });

  it('reports every bad parameter at once', () => {
    const { problems } = parseConversationListQuery({ status: 'x', limit: '0', offset: 'y' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['limit', 'offset', 'status']);
  });
});
