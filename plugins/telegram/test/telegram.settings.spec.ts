import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { TelegramSettings } from '../telegram.settings';

const problems = (raw: Record<string, unknown>) =>
  validateSync(plainToInstance(TelegramSettings, raw), {
    whitelist: true,
    forbidNonWhitelisted: true,
  }).map((error) => error.property);

describe(TelegramSettings.name, () => {
  it('accepts no settings and a full set', () => {
    expect(problems({})).toEqual([]);
    expect(
      problems({
        mode: 'polling',
        apiRoot: 'http://127.0.0.1:4020',
        pollingTimeoutSeconds: 30,
        pollingRetryDelayMs: 3000,
        mediaGroupWaitMs: 800,
        botMessagesPerSecond: 30,
        chatMessagesPerSecond: 1,
        groupMessagesPerMinute: 20,
      }),
    ).toEqual([]);
  });

  it('names every bad key', () => {
    expect(
      problems({
        mode: 'push',
        apiRoot: 'api.telegram.org',
        pollingTimeoutSeconds: 90,
        mediaGroupWaitMs: 'soon',
        botMessagesPerSecond: 0,
        colour: 'blue',
      }).sort(),
    ).toEqual([
      'apiRoot',
      'botMessagesPerSecond',
      'colour',
      'mediaGroupWaitMs',
      'mode',
      'pollingTimeoutSeconds',
    ]);
  });
});
