/** Injection token of the gateway's pino logger (GatewayLogger). */
export const GATEWAY_LOGGER = Symbol('GATEWAY_LOGGER');
