/**
 * Opt-out consent per customer, kept in the account's state. Twilio handles the keywords itself
 * (auto-reply, 21610 on later sends); the adapter keeps its own record so that agent replies to an
 * opted-out customer fail at once without calling Twilio.
 */
import type { AccountStateStore } from '../../src/core/adapter';

export type KeywordType = 'STOP' | 'START' | 'HELP';

const KEYWORDS: Record<string, KeywordType> = {
  STOP: 'STOP',
  STOPALL: 'STOP',
  UNSUBSCRIBE: 'STOP',
  CANCEL: 'STOP',
  END: 'STOP',
  QUIT: 'STOP',
  REVOKE: 'STOP',
  OPTOUT: 'STOP',
  START: 'START',
  YES: 'START',
  UNSTOP: 'START',
  HELP: 'HELP',
  INFO: 'HELP',
};

/** The keyword a whole message is (trimmed, case-insensitive), or Twilio's `OptOutType`. */
export function classifyKeyword(body: string, optOutType?: string): KeywordType | undefined {
  const announced = optOutType?.trim().toUpperCase();
  if (announced === 'STOP' || announced === 'START' || announced === 'HELP') return announced;
  return KEYWORDS[body.trim().toUpperCase()];
}

/**
 * The customer's last consent change. A START is kept too (`optedOut: false`): with several
 * gateway processes a STOP and a START may be handled at the same time, and only a kept time
 * lets the later message win whatever the order of handling.
 */
export interface ConsentRecord {
  /** What changed it: the keyword as sent (`STOP`, `UNSUBSCRIBE`, `START`...) or `21610`. */
  keyword: string;
  /** The message's time at the provider, or when the provider answered 21610 (ISO 8601). */
  at: string;
  /** Absent in records written before START records were kept: those were all opt-outs. */
  optedOut?: boolean;
}

const key = (customer: string) => `optout:${customer}`;

const optedOut = (record: ConsentRecord | undefined): boolean =>
  record !== undefined && record.optedOut !== false;

/** Whether `next` replaces `current`: it is not older (equal times: the one handled last). */
function supersedes(next: ConsentRecord, current: ConsentRecord | undefined): boolean {
  if (!current) return true;
  const nextTime = Date.parse(next.at);
  const currentTime = Date.parse(current.at);
  if (Number.isNaN(currentTime)) return true;
  if (Number.isNaN(nextTime)) return false;
  return nextTime >= currentTime;
}

export class OptOutRegistry {
  constructor(private readonly state: AccountStateStore) {}

  async isOptedOut(customer: string): Promise<boolean> {
    return optedOut(await this.state.get<ConsentRecord>(key(customer)));
  }

  /** Records a STOP or a START unless a later one is recorded already; HELP changes nothing. */
  async apply(customer: string, keyword: KeywordType, body: string, at: string): Promise<void> {
    if (keyword === 'HELP') return;
    await this.record(customer, {
      keyword: body.trim().toUpperCase() || keyword,
      at,
      optedOut: keyword === 'STOP',
    });
  }

  /** Twilio said 21610: the customer opted out without us seeing the keyword. */
  async markOptedOut(customer: string, at: string): Promise<void> {
    await this.record(customer, { keyword: '21610', at, optedOut: true });
  }

  /** Atomic across gateway processes: the later of two concurrent changes wins. */
  private async record(customer: string, next: ConsentRecord): Promise<void> {
    await this.state.update<ConsentRecord>(key(customer), (current) =>
      supersedes(next, current) ? next : current,
    );
  }
}
