/**
 * Shared setup of the plugin's own tests: a simulator, a bot in a direct room with a customer,
 * adapters created from the plugin, and account contexts that can share a state store.
 */
import { InMemoryAccountContext, InMemoryStateStore } from '../../../test/conformance';
import { startMatrixSimulator, type MatrixSimulator } from '../../../test/simulators/matrix';
import { MatrixAdapter } from '../matrix.adapter';
import { MatrixSettings } from '../matrix.settings';
import { RecordingLogger } from '../../../test/conformance';

export interface MatrixTestEnv {
  sim: MatrixSimulator;
  bot: { userId: string; accessToken: string };
  customer: string;
  roomId: string;
  adapter(): MatrixAdapter;
  context(state?: InMemoryStateStore): InMemoryAccountContext;
}

let counter = 0;

export async function matrixTestEnv(sim: MatrixSimulator): Promise<MatrixTestEnv> {
  const n = ++counter;
  const bot = sim.createUser({ user: `unitbot${n}`, password: 'pw', displayName: 'Unit Bot' });
  const customer = sim.createUser({ user: `unitcustomer${n}`, displayName: 'Carla Customer' });
  const { roomId } = sim.createRoom({
    creator: customer.userId,
    isDirect: true,
    invite: [bot.userId],
    join: [bot.userId],
  });
  return {
    sim,
    bot,
    customer: customer.userId,
    roomId,
    adapter: () => {
      const settings = Object.assign(new MatrixSettings(), {
        syncTimeoutMs: 2000,
        syncRetryDelayMs: 20,
      });
      return new MatrixAdapter({
        settings,
        publicUrl: 'http://127.0.0.1:1',
        logger: new RecordingLogger(),
      });
    },
    context: (state) =>
      new InMemoryAccountContext({
        accountId: `matrix-unit-${n}`,
        credentials: { homeserverUrl: sim.baseUrl, accessToken: bot.accessToken },
        settings: {},
        webhookUrl: 'http://127.0.0.1:1/adapters/matrix/unit',
        state,
      }),
  };
}

export { InMemoryStateStore, startMatrixSimulator };

/** Texts of the message events emitted so far. */
export function textsOf(context: InMemoryAccountContext): string[] {
  return context.emitted.flatMap((e) => (e.type === 'message' ? [e.text] : []));
}
