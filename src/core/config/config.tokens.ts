/** Injection token of the validated GatewayConfig. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Injection token of PUBLIC_URL (a string), where platforms and HubSpot reach the gateway. */
export const PUBLIC_URL = Symbol('PUBLIC_URL');
