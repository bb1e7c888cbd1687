import { ConfigError } from '../../core/config/config-error';
import { HubSpotApiError, HubSpotServerError } from '../client/errors';
import { describeChannelCommandError } from './channel-command-errors';

describe('describeChannelCommandError', () => {
  it("prints HubSpot's message, category and correlationId", () => {
    const error = new HubSpotApiError(
      'One or more Channel Capabilities specified had invalid values',
      {
        status: 400,
        category: 'VALIDATION_ERROR',
        subCategory: 'CustomChannelsError.INVALID_CHANNEL_CAPABILITY_VALUES',
        correlationId: 'c0ffee',
        operation: 'POST /conversations/custom-channels/v3',
      },
    );
    const text = describeChannelCommandError(error);
    expect(text).toContain('One or more Channel Capabilities specified had invalid values');
    expect(text).toContain('correlationId=c0ffee');
    expect(text).toContain(
      'HTTP 400 VALIDATION_ERROR/CustomChannelsError.INVALID_CHANNEL_CAPABILITY_VALUES',
    );
  });

  it('keeps the correlationId of a server error', () => {
    const error = new HubSpotServerError('boom', {
      status: 502,
      correlationId: 'abc',
      operation: 'PATCH /x',
    });
    expect(describeChannelCommandError(error)).toMatch(/boom.*correlationId abc.*try again later/);
  });

  it('names the missing configuration key', () => {
    const error = new ConfigError([{ key: 'HUBSPOT_DEVELOPER_API_KEY', message: 'is required' }]);
    expect(describeChannelCommandError(error)).toContain('HUBSPOT_DEVELOPER_API_KEY: is required');
  });
});
