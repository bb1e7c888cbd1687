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

export interface OptOutRecord {
  keyword: string;
  at: string;
}

const key = (customer: string) => `optout:${customer}`;

export class OptOutRegistry {
  constructor(private readonly state: AccountStateStore) {}

  async isOptedOut(customer: string): Promise<boolean> {
    return (await this.state.get<OptOutRecord>(key(customer))) !== undefined;
  }

  /** Records a STOP / clears on START; HELP changes nothing. */
  async apply(customer: string, keyword: KeywordType, body: string, at: string): Promise<void> {
    if (keyword === 'STOP') {
      await this.state.set<OptOutRecord>(key(customer), { keyword: body.trim().toUpperCase(), at });
    } else if (keyword === 'START') {
      await this.state.delete(key(customer));
    }
  }

  /** Twilio said 21610: the customer opted out without us seeing the keyword. */
  async markOptedOut(customer: string, at: string): Promise<void> {
    await this.state.set<OptOutRecord>(key(customer), { keyword: '21610', at });
  }
}
