/** What the HTTP layer needs from OAuth: a valid token per portal, and a refresh after a 401. */
export interface AccessTokenProvider {
  getAccessToken(portalId: string): Promise<string>;
  /**
   * HubSpot answered 401 to `rejectedToken`: refresh (once, shared by concurrent callers) unless
   * another caller already replaced that token, and return the token to retry with.
   */
  refreshAfterRejection(portalId: string, rejectedToken: string): Promise<string>;
}
