import { buildUrl, expandPath } from './path';

describe('expandPath', () => {
  it('fills and encodes path parameters', () => {
    const path = expandPath('/conversations/v3/custom-channels/{channelId}/messages/{messageId}', {
      channelId: 1001,
      messageId: 'a/b c',
    });
    expect(path).toBe('/conversations/v3/custom-channels/1001/messages/a%2Fb%20c');
  });

  it('refuses an empty parameter', () => {
    expect(() => expandPath('/files/v3/files/{fileId}', { fileId: '' })).toThrow('fileId');
  });
});

describe('buildUrl', () => {
  it('repeats array parameters and drops undefined ones', () => {
    const url = buildUrl('http://127.0.0.1:9/', '/conversations/v3/conversations/threads', {
      inboxId: [1, 2],
      threadStatus: 'OPEN',
      after: undefined,
      archived: false,
    });
    expect(url.toString()).toBe(
      'http://127.0.0.1:9/conversations/v3/conversations/threads?inboxId=1&inboxId=2&threadStatus=OPEN&archived=false',
    );
  });
});
