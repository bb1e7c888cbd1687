import type { CliCommand } from '../../cli/cli-command';
import type { PreparedGateway } from '../../prepare-gateway';
import type { CustomChannel } from '../client/channels.api';
import { describeChannelCommandError } from './channel-command-errors';
import { type ChannelCommandContext, openChannelCommandContext } from './channel-command-context';
import type { ChannelListing, ChannelRegistrationOutcome } from './channel-registration.service';

type Out = (line: string) => void;

/** Opens what the command needs, runs it, closes everything; any failure is printed, exit 1. */
async function withContext(
  prepared: PreparedGateway,
  out: Out,
  body: (context: ChannelCommandContext) => Promise<number>,
): Promise<number> {
  let context: ChannelCommandContext | undefined;
  try {
    context = await openChannelCommandContext(prepared);
    return await body(context);
  } catch (error) {
    out(`error: ${describeChannelCommandError(error)}`);
    return 1;
  } finally {
    await context?.close();
  }
}

function describeOutcome(outcome: ChannelRegistrationOutcome): string {
  const { adapterId, action, channel } = outcome;
  const what = {
    created: 'created',
    updated: 'updated',
    adopted: 'updated the existing channel of the same name',
    recreated: `created anew (channel ${outcome.previousChannelId ?? '?'} no longer exists on HubSpot)`,
  }[action];
  return `${adapterId}: ${what}: HubSpot channel ${channel.id} "${channel.name}"`;
}

export const channelsRegisterCommand: CliCommand = {
  name: 'channels:register',
  usage: 'channels:register [adapter...]',
  description: 'register (or update) the HubSpot custom channel of each enabled adapter',
  run: (prepared, args, out) =>
    withContext(prepared, out, async ({ service }) => {
      const targets = service.targets(args);
      if (targets.length === 0) {
        out('no adapters are enabled: nothing to register');
        return 0;
      }
      let failed = 0;
      for (const target of targets) {
        try {
          const outcome = await service.register(target);
          out(describeOutcome(outcome));
          out(`  webhookUrl ${outcome.channel.webhookUrl ?? '(none)'}`);
          out(`  connect    ${outcome.channel.channelAccountConnectionRedirectUrl ?? '(none)'}`);
        } catch (error) {
          failed++;
          out(`${target.adapterId}: error: ${describeChannelCommandError(error)}`);
        }
      }
      return failed > 0 ? 1 : 0;
    }),
};

function printListing({ local, remote }: ChannelListing, out: Out): void {
  out(`registered by this gateway (${local.length}):`);
  if (local.length === 0) out('  (none; run channels:register)');
  for (const registration of local) {
    const onHubSpot = remote.some((channel) => channel.id === registration.hubspotChannelId);
    out(
      `  ${registration.adapterId}  channel ${registration.hubspotChannelId}  "${registration.name}"` +
        `  updated ${registration.updatedAt.toISOString()}` +
        (onHubSpot ? '' : '  MISSING on HubSpot'),
    );
  }
  out(`channels of the HubSpot app (${remote.length}):`);
  if (remote.length === 0) out('  (none)');
  for (const channel of remote) out(`  ${describeRemote(channel, local)}`);
}

function describeRemote(channel: CustomChannel, local: ChannelListing['local']): string {
  const owner = local.find((registration) => registration.hubspotChannelId === channel.id);
  return (
    `${channel.id}  "${channel.name}"  webhookUrl ${channel.webhookUrl ?? '(none)'}` +
    `  ${owner ? `adapter ${owner.adapterId}` : 'not registered by this gateway'}`
  );
}

export const channelsListCommand: CliCommand = {
  name: 'channels:list',
  usage: 'channels:list',
  description: 'list the registered channels and the channels HubSpot has for the app',
  run: (prepared, _args, out) =>
    withContext(prepared, out, async ({ service }) => {
      printListing(await service.list(), out);
      return 0;
    }),
};
