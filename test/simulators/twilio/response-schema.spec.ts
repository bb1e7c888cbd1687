import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { loadTwilioOpenApi } from './openapi-document';
import { twilioFormats } from './openapi-formats';
import { api, CUSTOMER, MMS_NUMBER, startFixture, type Fixture } from './test-fixtures';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

/**
 * The simulator's responses checked against the response schemas of Twilio's official document.
 * `format: uri` is read as Twilio uses it in its own examples: an absolute URI, a path relative to
 * https://api.twilio.com, or "" for an unset URL.
 */
describe('responses conform to the official OpenAPI component schemas', () => {
  let fx: Fixture;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const [name, check] of Object.entries(twilioFormats)) ajv.addFormat(name, check);
  ajv.addFormat('uri', (v: string) => v === '' || v.startsWith('/') || URL.canParse(v));
  ajv.addSchema(loadTwilioOpenApi(), 'twilio');

  const expectValid = (schema: string, data: unknown): void => {
    const ref = schema.startsWith('#') ? `twilio${schema}` : `twilio#/components/schemas/${schema}`;
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema ${schema}`);
    validate(data);
    expect(validate.errors ?? []).toEqual([]);
  };

  const listSchema = (path: string): string =>
    `#/paths/${`/2010-04-01/Accounts/{AccountSid}/${path}`.replace(/~/g, '~0').replace(/\//g, '~1')}/get/responses/200/content/application~1json/schema`;

  let files: WebhookReceiver;

  beforeAll(async () => {
    files = await startWebhookReceiver();
    files.reply('/a.jpg', { contentType: 'image/jpeg', bytes: Buffer.from('jpeg bytes') });
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx.sim.close();
    await files.close();
  });

  it('account, incoming phone numbers (list), message (create, fetch, list, inbound) and media (list)', async () => {
    expectValid('api.v2010.account', (await api(fx, 'GET', '.json')).body);
    const numbers = await api(fx, 'GET', '/IncomingPhoneNumbers.json');
    expectValid(listSchema('IncomingPhoneNumbers.json'), numbers.body);
    const number = (numbers.body.incoming_phone_numbers as Array<{ sid: string }>)[0];
    expectValid(
      'api.v2010.account.incoming_phone_number',
      (await api(fx, 'GET', `/IncomingPhoneNumbers/${number.sid}.json`)).body,
    );
    const created = await api(fx, 'POST', '/Messages.json', {
      To: CUSTOMER,
      From: MMS_NUMBER,
      Body: 'hello',
      MediaUrl: `${files.baseUrl}/a.jpg`,
    });
    expectValid('api.v2010.account.message', created.body);
    const sid = String(created.body.sid);
    await fx.sim.waitForStatus(sid, 'delivered');
    expectValid('api.v2010.account.message', (await api(fx, 'GET', `/Messages/${sid}.json`)).body);
    const media = await api(fx, 'GET', `/Messages/${sid}/Media.json`);
    expectValid(listSchema('Messages/{MessageSid}/Media.json'), media.body);
    expectValid(
      listSchema('Messages.json'),
      (await api(fx, 'GET', '/Messages.json?PageSize=1')).body,
    );
    const { message } = await fx.sim.injectInbound({ from: CUSTOMER, to: MMS_NUMBER, body: 'in' });
    expectValid(
      'api.v2010.account.message',
      (await api(fx, 'GET', `/Messages/${message.sid}.json`)).body,
    );
  });
});
