/** The popup was opened with a request it cannot serve; shown as a readable error page. */
export class ConnectRequestError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/** HubSpot refused to finish the connection (staging-token PATCH); shown above the form. */
export class ConnectHubSpotError extends Error {
  constructor(
    message: string,
    readonly correlationId?: string,
  ) {
    super(message);
  }
}
