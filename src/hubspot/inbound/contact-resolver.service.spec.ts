import { PermanentError, RetryableError } from '../../core/adapter';
import { ContactResolver } from './contact-resolver.service';
import { FakePortal } from './testing/fake-portal';
import { jobContext, ManualClock, recordingLogger } from './testing/test-kit';

describe('ContactResolver', () => {
  let portal: FakePortal;
  let clock: ManualClock;
  let resolver: ContactResolver;
  let records: Record<string, unknown>[];

  const resolve = (
    sender: { id: string; phone?: string; email?: string },
    identifierType:
      | 'CHANNEL_SPECIFIC_OPAQUE_ID'
      | 'HS_PHONE_NUMBER'
      | 'HS_EMAIL_ADDRESS' = 'CHANNEL_SPECIFIC_OPAQUE_ID',
    job = jobContext(),
  ) => resolver.resolve({ portal, portalId: '100', identifierType, sender, job });

  beforeEach(() => {
    portal = new FakePortal();
    clock = new ManualClock();
    const recording = recordingLogger();
    records = recording.records;
    resolver = new ContactResolver(recording.logger, clock);
  });

  it('finds the contact by phone (E.164) on opaque-id channels', async () => {
    portal.contactIds.set('phone=+14155550100', '501');
    expect(await resolve({ id: 'u1', phone: ' +14155550100 ' })).toBe(501);
    expect(portal.searches).toEqual([{ property: 'phone', value: '+14155550100' }]);
  });

  it('tries the lower-cased email when the phone finds nobody', async () => {
    portal.contactIds.set('email=ada@example.com', '502');
    expect(await resolve({ id: 'u1', phone: '+15550001', email: 'Ada@Example.com' })).toBe(502);
    expect(portal.searches).toEqual([
      { property: 'phone', value: '+15550001' },
      { property: 'email', value: 'ada@example.com' },
    ]);
  });

  it('does not search without phone or email, nor on phone / email channels', async () => {
    expect(await resolve({ id: 'u1' })).toBeUndefined();
    expect(await resolve({ id: '+1555', phone: '+1555' }, 'HS_PHONE_NUMBER')).toBeUndefined();
    expect(await resolve({ id: 'a@b.c', email: 'a@b.c' }, 'HS_EMAIL_ADDRESS')).toBeUndefined();
    expect(portal.searches).toEqual([]);
  });

  it('caches hits for 10 minutes and misses for 2', async () => {
    portal.contactIds.set('phone=+1001', '7');
    await resolve({ id: 'a', phone: '+1001' });
    await resolve({ id: 'b', phone: '+1002' });
    await resolve({ id: 'a', phone: '+1001' });
    await resolve({ id: 'b', phone: '+1002' });
    expect(portal.searches).toHaveLength(2);

    portal.contactIds.set('phone=+1002', '8');
    clock.advance(2 * 60_000);
    expect(await resolve({ id: 'b', phone: '+1002' })).toBe(8);
    expect(await resolve({ id: 'a', phone: '+1001' })).toBe(7);
    expect(portal.searches).toHaveLength(3);
    clock.advance(8 * 60_000);
    await resolve({ id: 'a', phone: '+1001' });
    expect(portal.searches).toHaveLength(4);
  });

  it('publishes without a contact when the search is refused', async () => {
    portal.failures.search = [new PermanentError('missing scope crm.objects.contacts.read')];
    expect(await resolve({ id: 'u1', phone: '+1003' })).toBeUndefined();
    expect(records.some((r) => String(r.msg).includes('contact search failed'))).toBe(true);
  });

  it('retries a throttled search, except on the last attempt', async () => {
    portal.failures.search = [new RetryableError('429', 1000), new RetryableError('429', 1000)];
    await expect(resolve({ id: 'u1', phone: '+1004' })).rejects.toThrow('429');
    expect(
      await resolve({ id: 'u1', phone: '+1004' }, undefined, jobContext({ attempt: 5 })),
    ).toBeUndefined();
  });

  it('ignores contact ids that are not numbers', async () => {
    portal.contactIds.set('email=x@y.z', 'not-a-number');
    expect(await resolve({ id: 'u1', email: 'x@y.z' })).toBeUndefined();
  });
});
