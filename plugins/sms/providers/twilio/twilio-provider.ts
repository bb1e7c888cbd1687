/**
 * The Twilio provider, on the official `twilio` package: credentials check, webhook
 * configuration, sending, signed webhooks and media downloads.
 */
import type twilio from 'twilio';
import {
  InvalidCredentialsError,
  type AdapterWebhookRequest,
  type Credentials,
} from '../../../../src/core/adapter';
import type {
  InboundSms,
  OpenedMedia,
  ProviderWebhookAck,
  SmsProvider,
  SmsSendRequest,
  SmsSendResult,
  SmsSenderInfo,
  SmsStatusUpdate,
} from '../sms-provider';
import { twilioCredentials, type TwilioCredentials } from './twilio-credentials';
import { mapSendError, mapValidationError } from './twilio-errors';
import { parseTwilioInbound, parseTwilioStatus } from './twilio-inbound';
import { fetchTwilioMedia } from './twilio-media';
import { createTwilioClient, TWILIO_API_BASE_URL } from './twilio-request-client';
import { verifyTwilioSignature } from './twilio-signature';
import { twilioParams } from './twilio-webhook-params';

export interface TwilioProviderOptions {
  /** Unset: https://api.twilio.com. */
  apiBaseUrl?: string;
  now?: () => Date;
}

/** How long a number's MMS capability is trusted before IncomingPhoneNumbers is asked again. */
const CAPABILITY_TTL_MS = 5 * 60_000;

export class TwilioProvider implements SmsProvider {
  readonly name = 'twilio';
  private readonly clients = new Map<string, twilio.Twilio>();
  private readonly mmsCapability = new Map<string, { capable: boolean; until: number }>();
  private readonly apiBaseUrl: string;
  private readonly now: () => Date;

  constructor(private readonly options: TwilioProviderOptions = {}) {
    this.apiBaseUrl = (options.apiBaseUrl ?? TWILIO_API_BASE_URL).replace(/\/+$/, '');
    this.now = options.now ?? (() => new Date());
  }

  async validate(credentials: Credentials): Promise<SmsSenderInfo> {
    const creds = twilioCredentials(credentials);
    const client = this.client(creds);
    try {
      await client.api.v2010.accounts(creds.accountSid).fetch();
      if (creds.messagingServiceSid)
        return await this.serviceSender(client, creds.messagingServiceSid);
      return await this.numberSender(client, creds.fromNumber ?? '');
    } catch (error) {
      if (error instanceof InvalidCredentialsError) throw error;
      throw mapValidationError(error);
    }
  }

  async configureInbound(
    credentials: Credentials,
    inboundUrl: string,
  ): Promise<'configured' | 'manual'> {
    const creds = twilioCredentials(credentials);
    if (!creds.fromNumber) return 'manual';
    const client = this.client(creds);
    const number = await this.findNumber(client, creds.fromNumber);
    if (!number)
      throw new InvalidCredentialsError(`${creds.fromNumber} is not a number of this account`);
    if (number.smsUrl === inboundUrl && number.smsMethod.toUpperCase() === 'POST')
      return 'configured';
    await client.incomingPhoneNumbers(number.sid).update({ smsUrl: inboundUrl, smsMethod: 'POST' });
    return 'configured';
  }

  async send(credentials: Credentials, request: SmsSendRequest): Promise<SmsSendResult> {
    const creds = twilioCredentials(credentials);
    const sender = creds.messagingServiceSid
      ? { messagingServiceSid: creds.messagingServiceSid }
      : { from: creds.fromNumber ?? '' };
    try {
      const message = await this.client(creds).messages.create({
        to: request.to,
        // An MMS may have no text; an empty Body is left out rather than sent.
        ...(request.body !== '' ? { body: request.body } : {}),
        ...(request.mediaUrls?.length ? { mediaUrl: request.mediaUrls } : {}),
        statusCallback: request.statusCallbackUrl,
        ...sender,
      });
      const segments = Number(message.numSegments);
      const result: SmsSendResult = { messageId: message.sid, status: message.status };
      if (Number.isFinite(segments) && segments > 0) result.segments = segments;
      return result;
    } catch (error) {
      throw mapSendError(error);
    }
  }

  /** The number's `capabilities.mms` from IncomingPhoneNumbers; unknown for a Messaging Service. */
  async senderMmsCapable(credentials: Credentials): Promise<boolean | undefined> {
    const creds = twilioCredentials(credentials);
    if (!creds.fromNumber) return undefined;
    const key = `${creds.accountSid}:${creds.fromNumber}`;
    const known = this.mmsCapability.get(key);
    if (known && known.until > this.now().getTime()) return known.capable;
    const number = await this.findNumber(this.client(creds), creds.fromNumber).catch(
      (error: unknown) => {
        throw mapSendError(error);
      },
    );
    if (!number?.capabilities) return undefined;
    const capable = number.capabilities.mms !== false;
    this.mmsCapability.set(key, { capable, until: this.now().getTime() + CAPABILITY_TTL_MS });
    return capable;
  }

  verifySignature(credentials: Credentials, request: AdapterWebhookRequest): boolean {
    return verifyTwilioSignature((credentials.authToken ?? '').trim(), request);
  }

  parseInbound(request: AdapterWebhookRequest): InboundSms | undefined {
    return parseTwilioInbound(twilioParams(request), this.now());
  }

  parseStatus(request: AdapterWebhookRequest): SmsStatusUpdate | undefined {
    return parseTwilioStatus(twilioParams(request), this.now());
  }

  webhookAck(): ProviderWebhookAck {
    return {
      status: 200,
      body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
      contentType: 'text/xml',
    };
  }

  async messageTime(credentials: Credentials, messageId: string): Promise<string | undefined> {
    try {
      const message = await this.client(twilioCredentials(credentials)).messages(messageId).fetch();
      const created = message.dateCreated;
      return created && !Number.isNaN(created.getTime()) ? created.toISOString() : undefined;
    } catch {
      return undefined;
    }
  }

  fetchMedia(credentials: Credentials, ref: string): Promise<OpenedMedia> {
    const creds = twilioCredentials(credentials);
    return fetchTwilioMedia(ref, this.apiBaseUrl, creds.accountSid, creds.authToken);
  }

  private async numberSender(client: twilio.Twilio, e164: string): Promise<SmsSenderInfo> {
    const number = await this.findNumber(client, e164);
    if (!number) {
      throw new InvalidCredentialsError(
        `${e164} is not a phone number of this Twilio account (Phone Numbers > Active numbers)`,
      );
    }
    if (number.capabilities && number.capabilities.sms === false) {
      throw new InvalidCredentialsError(`${e164} cannot send or receive SMS`);
    }
    return {
      phoneNumber: number.phoneNumber,
      displayName: number.friendlyName || number.phoneNumber,
    };
  }

  private async serviceSender(client: twilio.Twilio, serviceSid: string): Promise<SmsSenderInfo> {
    const service = await client.messaging.v1.services(serviceSid).fetch();
    const [first] = await service.phoneNumbers().list({ limit: 1 });
    if (!first) {
      throw new InvalidCredentialsError(
        `Messaging Service ${serviceSid} has no phone number in its sender pool`,
      );
    }
    return {
      phoneNumber: first.phoneNumber,
      displayName: service.friendlyName || first.phoneNumber,
    };
  }

  private async findNumber(client: twilio.Twilio, e164: string) {
    const numbers = await client.incomingPhoneNumbers.list({ phoneNumber: e164, limit: 50 });
    return numbers.find((candidate) => candidate.phoneNumber === e164);
  }

  private client(creds: TwilioCredentials): twilio.Twilio {
    const key = `${creds.accountSid}:${creds.authToken}`;
    let client = this.clients.get(key);
    if (!client) {
      client = createTwilioClient({
        accountSid: creds.accountSid,
        authToken: creds.authToken,
        apiBaseUrl: this.options.apiBaseUrl,
      });
      this.clients.set(key, client);
    }
    return client;
  }
}
