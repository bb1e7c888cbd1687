import type { PreparedGateway } from '../prepare-gateway';

/** One `npm run gateway -- <name> [args]` command. */
export interface CliCommand {
  name: string;
  usage: string;
  description: string;
  run(prepared: PreparedGateway, args: string[], out: (line: string) => void): Promise<number>;
}
