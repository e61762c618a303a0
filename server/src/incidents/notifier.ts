// Messages to people outside the system (an SOS resident's family). Drivers: `log` (tests, demo:
// writes the message to the log and succeeds) and `sms-gateway` (HTTP POST to a gateway).
import type { Log } from './effects';

export interface OutboundMessage {
  notificationId: string;
  incidentId: string;
  name: string;
  phone: string;
  text: string;
}

export interface Notifier {
  readonly name: string;
  /** Resolves with the provider's reference; rejects when the message was not accepted. */
  send(message: OutboundMessage): Promise<string>;
}

export class LogNotifier implements Notifier {
  readonly name = 'log';
  constructor(private readonly log: Log) {}
  async send(m: OutboundMessage): Promise<string> {
    this.log.info({ notifier: 'log', to: m.phone, name: m.name, incidentId: m.incidentId, text: m.text }, 'notification sent');
    return `log-${m.notificationId}`;
  }
}

export interface SmsGatewayConfig {
  url: string;
  token: string;
  timeoutMs: number;
}

/**
 * A generic SMS/voice gateway: `POST url` with `{ to, text, ref }` and a bearer token; expects 2xx
 * with `{ id }`. The `ref` (our notification id) lets a gateway drop a resend of the same message.
 */
export class SmsGatewayNotifier implements Notifier {
  readonly name = 'sms-gateway';
  constructor(private readonly config: SmsGatewayConfig) {}
  async send(m: OutboundMessage): Promise<string> {
    const res = await fetch(this.config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.config.token}` },
      body: JSON.stringify({ to: m.phone, text: m.text, ref: m.notificationId }),
      signal: AbortSignal.timeout(this.config.timeoutMs),
    });
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    const body = (await res.json().catch(() => ({}))) as { id?: unknown };
    return typeof body.id === 'string' ? body.id : `sms-${m.notificationId}`;
  }
}

/** From `QLY_NOTIFIER=log|sms-gateway` (+ `QLY_SMS_URL`, `QLY_SMS_TOKEN`). */
export function notifierFromEnv(env: NodeJS.ProcessEnv, log: Log): Notifier {
  const driver = env.QLY_NOTIFIER ?? 'log';
  if (driver === 'log') return new LogNotifier(log);
  if (driver === 'sms-gateway') {
    if (!env.QLY_SMS_URL || !env.QLY_SMS_TOKEN) throw new Error('QLY_NOTIFIER=sms-gateway needs QLY_SMS_URL and QLY_SMS_TOKEN');
    return new SmsGatewayNotifier({ url: env.QLY_SMS_URL, token: env.QLY_SMS_TOKEN, timeoutMs: 5000 });
  }
  throw new Error(`QLY_NOTIFIER must be log or sms-gateway, got "${driver}"`);
}
