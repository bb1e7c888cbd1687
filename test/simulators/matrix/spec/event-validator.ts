import { badJson } from '../http/errors';
import { isRecord, type JsonObject } from '../util/json';
import { describeErrors } from './error-text';
import type { SchemaRegistry } from './schema-registry';

const EVENT_DIR = 'event-schemas/schema/';
const MEDIA_MSGTYPES = new Set(['m.image', 'm.file', 'm.audio', 'm.video']);

/**
 * Validates event content against the spec's event schemas (`data/event-schemas/schema`), by
 * wrapping it in a synthetic event envelope so the whole schema (incl. `allOf` bases) applies.
 * Adds the rules the schemas only state in prose: `format`/`formatted_body` go together, media
 * messages need `url` or `file`, relations (`m.relates_to`) and `m.new_content` of edits.
 */
export class EventValidator {
  constructor(private readonly registry: SchemaRegistry) {}

  /** Name of the schema file used for this event, or undefined (custom type, not validated). */
  schemaFor(type: string, content: JsonObject): string | undefined {
    if (type === 'm.room.message' && typeof content.msgtype === 'string') {
      const specific = `${EVENT_DIR}${type}$${content.msgtype}.yaml`;
      if (this.registry.doc(specific)) return specific;
    }
    const generic = `${EVENT_DIR}${type}.yaml`;
    return this.registry.doc(generic) ? generic : undefined;
  }

  validate(type: string, content: unknown, stateKey?: string): void {
    if (!isRecord(content)) throw badJson('Event content must be a JSON object');
    this.validateContent(type, content, stateKey, 'content');
    this.validateRelation(type, content);
    this.validateMentions(content);
  }

  private validateContent(
    type: string,
    content: JsonObject,
    stateKey: string | undefined,
    at: string,
  ): void {
    const file = this.schemaFor(type, content);
    if (file) {
      const envelope: JsonObject = {
        type,
        content,
        event_id: '$validation',
        sender: '@validation:localhost',
        origin_server_ts: 0,
        room_id: '!validation:localhost',
        ...(stateKey !== undefined ? { state_key: stateKey } : {}),
      };
      const fn = this.registry.validator(file);
      if (!fn(envelope)) {
        const text = describeErrors(fn.errors)
          .replace(/^\/content/g, at)
          .replace(/; \/content/g, `; ${at}`);
        throw badJson(`Invalid ${describeType(type, content)} content: ${text} (schema ${file})`);
      }
    }
    if (type !== 'm.room.message') return;
    const hasFormat = content.format !== undefined;
    if (hasFormat !== (content.formatted_body !== undefined)) {
      throw badJson(
        `Invalid ${describeType(type, content)} content: ${at}.format and ${at}.formatted_body must be given together`,
      );
    }
    if (typeof content.msgtype === 'string' && MEDIA_MSGTYPES.has(content.msgtype)) {
      if (content.url === undefined && content.file === undefined) {
        throw badJson(
          `Invalid ${content.msgtype} content: ${at}.url (mxc URI) or ${at}.file is required`,
        );
      }
    }
  }

  private validateRelation(type: string, content: JsonObject): void {
    const rel = content['m.relates_to'];
    if (rel === undefined) return;
    if (!isRecord(rel)) throw badJson("Invalid content: 'm.relates_to' must be an object");
    const reply = rel['m.in_reply_to'];
    if (reply !== undefined) {
      if (
        !isRecord(reply) ||
        typeof reply.event_id !== 'string' ||
        !reply.event_id.startsWith('$')
      ) {
        throw badJson(
          "Invalid content: 'm.relates_to'.'m.in_reply_to'.event_id must be an event id",
        );
      }
    }
    if (rel.rel_type === undefined) {
      if (reply === undefined) {
        throw badJson("Invalid content: 'm.relates_to' needs rel_type+event_id or 'm.in_reply_to'");
      }
      return;
    }
    const fn = this.registry.validator('api/client-server/definitions/m.relates_to.yaml');
    if (!fn(rel)) {
      throw badJson(
        `Invalid content: ${describeErrors(fn.errors, "'m.relates_to'")} (m.relates_to.yaml)`,
      );
    }
    if (rel.rel_type === 'm.replace' && type === 'm.room.message') {
      const newContent = content['m.new_content'];
      if (!isRecord(newContent)) {
        throw badJson("Invalid edit: 'm.new_content' object is required with rel_type m.replace");
      }
      this.validateContent(type, newContent, undefined, "'m.new_content'");
    }
  }

  private validateMentions(content: JsonObject): void {
    if (content['m.mentions'] === undefined) return;
    const fn = this.registry.validator('api/client-server/definitions/m.mentions.yaml');
    if (!fn(content['m.mentions'])) {
      throw badJson(`Invalid content: ${describeErrors(fn.errors, "'m.mentions'")}`);
    }
  }
}

function describeType(type: string, content: JsonObject): string {
  return typeof content.msgtype === 'string' ? `${type} ${content.msgtype}` : type;
}
