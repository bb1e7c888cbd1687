export { MatrixSimulator, startMatrixSimulator } from './simulator';
export type { CreateRoomOptions, EventQuery, RoomSummary } from './control/controller';
export * from './control/content';
export type * from './types';
export { MatrixSimControlClient, type MessageKind } from './control/http-client';
