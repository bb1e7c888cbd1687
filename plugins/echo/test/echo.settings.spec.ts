import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EchoSettings } from '../echo.settings';

const problems = (raw: Record<string, unknown>) =>
  validateSync(plainToInstance(EchoSettings, raw), {
    whitelist: true,
    forbidNonWhitelisted: true,
  }).map((error) => error.property);

describe(EchoSettings.name, () => {
  it('accepts no settings and a full set', () => {
    expect(problems({})).toEqual([]);
    expect(
      problems({
        platformUrl: 'http://127.0.0.1:4010',
        embeddedPlatformPort: 4010,
        autoReply: true,
        failSendsMatching: '^FAIL',
      }),
    ).toEqual([]);
  });

  it('names every bad key', () => {
    expect(
      problems({
        platformUrl: 'not a url',
        embeddedPlatformPort: 70000,
        autoReply: 'yes',
        failSendsMatching: '(',
        colour: 'blue',
      }).sort(),
    ).toEqual(['autoReply', 'colour', 'embeddedPlatformPort', 'failSendsMatching', 'platformUrl']);
  });
});
