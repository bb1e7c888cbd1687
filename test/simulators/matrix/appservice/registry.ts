import type { AppserviceRegistration, Namespace } from '../types';

function matchesAny(list: Namespace[] | undefined, value: string): boolean {
  return (list ?? []).some((ns) => new RegExp(`^(?:${ns.regex})$`).test(value));
}

/** Registered application services and their namespaces. */
export class AppserviceRegistry {
  private readonly byId = new Map<string, AppserviceRegistration>();

  constructor(private readonly serverName: string) {}

  set(reg: AppserviceRegistration): void {
    this.byId.set(reg.id, reg);
  }

  remove(id: string): boolean {
    return this.byId.delete(id);
  }

  get(id: string): AppserviceRegistration | undefined {
    return this.byId.get(id);
  }

  all(): AppserviceRegistration[] {
    return [...this.byId.values()];
  }

  byToken(asToken: string): AppserviceRegistration | undefined {
    return this.all().find((r) => r.as_token === asToken);
  }

  senderUserId(reg: AppserviceRegistration): string {
    return `@${reg.sender_localpart}:${this.serverName}`;
  }

  /** The AS sender or a local user inside its users namespace. */
  ownsUser(reg: AppserviceRegistration, userId: string): boolean {
    if (userId === this.senderUserId(reg)) return true;
    return userId.endsWith(`:${this.serverName}`) && matchesAny(reg.namespaces.users, userId);
  }

  /** Another AS claims this user exclusively. */
  exclusiveOwner(userId: string): AppserviceRegistration | undefined {
    return this.all().find((r) =>
      (r.namespaces.users ?? []).some(
        (ns) => ns.exclusive && new RegExp(`^(?:${ns.regex})$`).test(userId),
      ),
    );
  }

  matchesRoom(reg: AppserviceRegistration, roomId: string, aliases: Iterable<string>): boolean {
    if (matchesAny(reg.namespaces.rooms, roomId)) return true;
    for (const alias of aliases) if (matchesAny(reg.namespaces.aliases, alias)) return true;
    return false;
  }

  wantsEphemeral(reg: AppserviceRegistration): boolean {
    return reg.receive_ephemeral === true || reg['de.sorunome.msc2409.push_ephemeral'] === true;
  }
}
