import { newMessage, prepareOutgoing, recordSent } from './outgoing';
import { bool, obj, ok, type MethodContext, type Params } from './method-types';
import { messageText } from './text-content';

/** sendMessage: parse_mode/entities, 4096-char limit, reply_parameters, link_preview_options. */
export function sendMessage(ctx: MethodContext): ReturnType<typeof ok> {
  const content: Params = messageText(ctx.params);
  const out = prepareOutgoing(ctx);
  const preview = obj(ctx.params, 'link_preview_options');
  if (preview) content.link_preview_options = preview;
  else if (bool(ctx.params, 'disable_web_page_preview')) {
    content.link_preview_options = { is_disabled: true };
  }
  const message = newMessage(ctx, out, content);
  recordSent(ctx, out.chat, [message], []);
  return ok(message);
}
