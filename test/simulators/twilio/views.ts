import { messageJson } from './resources';
import type { MessageRecord } from './types';

/** JSON view of a recorded message for the control API (media bytes summarised, not inlined). */
export function messageView(m: MessageRecord): Record<string, unknown> {
  return {
    ...messageJson(m),
    encoding: m.encoding,
    status_callback: m.statusCallback,
    validity_period: m.validityPeriod,
    planned_send_at: m.plannedSendAt?.toISOString() ?? null,
    history: m.history.map((h) => ({
      status: h.status,
      at: h.at.toISOString(),
      error_code: h.errorCode,
    })),
    media: m.media.map((item) => ({
      sid: item.sid,
      content_type: item.contentType,
      size: item.data?.length ?? null,
      source_url: item.sourceUrl,
    })),
  };
}
