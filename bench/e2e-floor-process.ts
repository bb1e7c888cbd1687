/**
 * The floor forwarder as a process of its own (forked by e2e-floor-setup.ts), as the gateway is:
 * in the bench process it would share one thread with the HubSpot simulator and the Echo
 * platform, and the floor would measure that thread rather than the least a forwarder costs.
 *
 * Protocol over the IPC channel: it sends `{ type: 'ready', url }` once listening; it answers
 * `{ type: 'add', id, account }` with `{ type: 'done', id }`, `{ type: 'rejected', id }` with
 * `{ type: 'done', id, rejected }`, and exits on `{ type: 'stop' }` after closing its server.
 */
import { type FloorAccount, FloorForwarder, type FloorOptions } from './e2e-floor';

export type FloorRequest =
  | { type: 'add'; id: number; account: FloorAccount }
  | { type: 'rejected'; id: number }
  | { type: 'stop' };

export type FloorAnswer =
  { type: 'ready'; url: string } | { type: 'done'; id: number; rejected?: number };

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_FLOOR_OPTIONS ?? '{}') as FloorOptions;
  const forwarder = new FloorForwarder(options);
  const url = await forwarder.start();
  const send = (answer: FloorAnswer) => process.send?.(answer);
  process.on('message', (request: FloorRequest) => {
    if (request.type === 'add') {
      forwarder.add(request.account);
      send({ type: 'done', id: request.id });
    } else if (request.type === 'rejected') {
      send({ type: 'done', id: request.id, rejected: forwarder.rejected });
    } else {
      void forwarder.stop().then(() => process.exit(0));
    }
  });
  // The bench went away: nothing left to forward for.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url });
}

void main();
