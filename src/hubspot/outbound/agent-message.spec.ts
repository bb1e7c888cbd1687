import type { OutgoingMessageJob } from '../webhook/hubspot-event';
import { parseAgentMessage } from './agent-message';

const job = (
  message: Record<string, unknown>,
  top: Record<string, unknown> = {},
  channelAccountId?: string,
): OutgoingMessageJob => ({
  portalId: '77',
  channelId: '5',
  ...(channelAccountId !== undefined && { channelAccountId }),
  messageId: String(message.id ?? 'm-1'),
  dedupeKey: 'k',
  receivedAt: '2026-01-01T00:00:00.000Z',
  event: {
    type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
    portalId: '77',
    channelId: '5',
    ...top,
    message: { id: 'm-1', ...message },
  },
});

describe('parseAgentMessage', () => {
  it('reads the fields of a real-shaped OUTGOING_CHANNEL_MESSAGE_CREATED (spec 7.2)', () => {
    const parsed = parseAgentMessage(
      job(
        {
          id: 'm-9',
          direction: 'OUTGOING',
          channelAccountId: 321,
          conversationsThreadId: 9001,
          text: 'Hello there',
          richText: '<p>Hello <b>there</b></p>',
          inReplyToId: 'm-3',
          senders: [{ actorId: 'A-1', name: 'Ada Agent' }],
          recipients: [
            {
              actorId: 'V-5',
              deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: '+14155550100' },
            },
          ],
          client: { clientType: 'HUBSPOT' },
          attachments: [
            {
              type: 'FILE',
              fileId: '180',
              fileUsageType: 'IMAGE',
              name: 'a.png',
              url: 'https://x/a.png',
            },
            { type: 'FILE', fileId: 181, fileUsageType: 'SOMETHING_NEW' },
            { type: 'LOCATION', latitude: 1, longitude: 2 },
            'garbage',
          ],
        },
        { channelIntegrationThreadIds: ['it-1', 7, null] },
      ),
    );
    expect(parsed).toEqual({
      kind: 'deliver',
      message: {
        messageId: 'm-9',
        portalId: '77',
        channelId: '5',
        channelAccountId: '321',
        conversationsThreadId: '9001',
        integrationThreadIds: ['it-1', '7'],
        text: 'Hello there',
        richText: '<p>Hello <b>there</b></p>',
        files: [
          { fileId: '180', url: 'https://x/a.png', name: 'a.png', usage: 'IMAGE' },
          { fileId: '181', usage: 'OTHER' },
        ],
        otherAttachmentTypes: ['LOCATION'],
        inReplyToId: 'm-3',
        agentName: 'Ada Agent',
        recipient: { type: 'HS_PHONE_NUMBER', value: '+14155550100' },
      },
    });
  });

  it('prefers the job (top-level) channel account id and tolerates missing parts', () => {
    const parsed = parseAgentMessage(job({ channelAccountId: 'inner' }, {}, 'top'));
    expect(parsed).toEqual({
      kind: 'deliver',
      message: {
        messageId: 'm-1',
        portalId: '77',
        channelId: '5',
        channelAccountId: 'top',
        integrationThreadIds: [],
        text: '',
        files: [],
        otherAttachmentTypes: [],
      },
    });
  });

  it('drops a recipient identifier of a type HubSpot does not define for custom channels', () => {
    const parsed = parseAgentMessage(
      job({ recipients: [{ deliveryIdentifier: { type: 'HS_SHORT_CODE', value: '12345' } }] }),
    );
    expect(parsed.kind).toBe('deliver');
    expect(parsed.kind === 'deliver' && 'recipient' in parsed.message).toBe(false);
  });

  it('ignores INCOMING messages and messages this app published, not other integrations', () => {
    expect(parseAgentMessage(job({ direction: 'INCOMING' }))).toEqual({
      kind: 'ignore',
      reason: 'direction INCOMING',
    });
    const ours = job({ client: { clientType: 'INTEGRATION', integrationAppId: 4242 } });
    expect(parseAgentMessage(ours, '4242')).toEqual({
      kind: 'ignore',
      reason: 'published by this gateway',
    });
    expect(parseAgentMessage(ours, '1111').kind).toBe('deliver');
    expect(parseAgentMessage(ours).kind).toBe('deliver');
  });
});
