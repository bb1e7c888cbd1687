/** The parts of Matrix client-server payloads the plugin reads (everything else is ignored). */

export interface MatrixEvent {
  type: string;
  event_id?: string;
  sender: string;
  origin_server_ts?: number;
  state_key?: string;
  content: Record<string, unknown>;
  room_id?: string;
}

export interface SyncRoomJoined {
  state?: { events?: MatrixEvent[] };
  timeline?: { events?: MatrixEvent[]; limited?: boolean };
  ephemeral?: { events?: MatrixEvent[] };
}

export interface SyncResponse {
  next_batch: string;
  rooms?: {
    join?: Record<string, SyncRoomJoined>;
    invite?: Record<string, { invite_state?: { events?: MatrixEvent[] } }>;
  };
}
