import { MatrixError } from '../http/errors';
import type { AppserviceRegistration } from '../types';

/** Homeserver side of `POST /_matrix/client/v1/appservice/{id}/ping`: calls the AS's `/ping`. */
export async function pingAppservice(
  reg: AppserviceRegistration,
  transactionId: string | undefined,
  timeoutMs: number,
): Promise<{ duration_ms: number }> {
  if (!reg.url)
    throw new MatrixError(
      400,
      'M_URL_NOT_SET',
      "Application service doesn't have a URL configured",
    );
  const started = Date.now();
  let res: Response;
  try {
    res = await fetch(`${reg.url.replace(/\/$/, '')}/_matrix/app/v1/ping`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${reg.hs_token}` },
      body: JSON.stringify(transactionId !== undefined ? { transaction_id: transactionId } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'TimeoutError') {
      throw new MatrixError(
        504,
        'M_CONNECTION_TIMEOUT',
        'Connection to application service timed out',
      );
    }
    throw new MatrixError(
      502,
      'M_CONNECTION_FAILED',
      `Connection to application service failed: ${String(err)}`,
    );
  }
  const body = await res.text();
  if (!res.ok) {
    throw new MatrixError(502, 'M_BAD_STATUS', `Ping returned status ${res.status}`, {
      status: res.status,
      body,
    });
  }
  return { duration_ms: Date.now() - started };
}
