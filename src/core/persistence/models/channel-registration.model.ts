/** The HubSpot custom channel registered for an adapter. */
export interface ChannelRegistration {
  adapterId: string;
  hubspotChannelId: string;
  name: string;
  /** The capabilities object sent to HubSpot. */
  capabilities: Record<string, unknown>;
  registeredAt: Date;
  updatedAt: Date;
}

export interface ChannelRegistrationInput {
  adapterId: string;
  hubspotChannelId: string;
  name: string;
  capabilities: Record<string, unknown>;
}
