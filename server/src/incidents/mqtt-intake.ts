// Alarms over MQTT: subscribes to `<root>/alarms/+` at QoS 1 with persistent sessions, and
// acknowledges a message (PUBACK) only after it is committed to PostgreSQL — a crash before that
// makes the broker deliver it again, and the dedup key merges the redelivery.
// An MQTT client handles its messages one at a time, so `lanes` clients share one subscription
// (`$share/<group>/…`): the broker spreads alarms over them and they are stored in parallel. Keep
// the lane count stable across restarts — a lane's queued alarms wait for its client id.
import mqtt, { type MqttClient } from 'mqtt';
import { SYSTEM } from './actor';
import { AlarmRejected, parseAlarm, type AlarmIntake } from './alarms';
import type { Log } from './effects';

export interface MqttIntakeOptions {
  url: string;
  topicRoot: string;
  clientId: string;
  lanes: number;
}

const MAX_DB_TRIES = 5;

export class MqttAlarmIntake {
  private clients: MqttClient[] = [];

  constructor(
    private readonly intake: AlarmIntake,
    private readonly opts: MqttIntakeOptions,
    private readonly log: Log,
  ) {}

  get connected(): boolean {
    return this.clients.length > 0 && this.clients.every((c) => c.connected);
  }

  get topicFilter(): string {
    const topic = `${this.opts.topicRoot}/alarms/+`;
    return this.opts.lanes > 1 ? `$share/${this.opts.clientId}/${topic}` : topic;
  }

  async start(): Promise<void> {
    const ids = this.opts.lanes > 1 ? [...Array(this.opts.lanes)].map((_, i) => `${this.opts.clientId}-${i}`) : [this.opts.clientId];
    await Promise.all(ids.map((id) => this.connect(id)));
    this.log.info({ topic: this.topicFilter, clients: ids.length }, 'mqtt alarm intake subscribed');
  }

  private async connect(clientId: string): Promise<void> {
    const client = mqtt.connect(this.opts.url, {
      clientId,
      clean: false,
      protocolVersion: 5,
      // Queued alarms survive our restarts; a client id nobody uses any more expires (a day; test
      // runs, which each use fresh ids, five minutes).
      properties: { sessionExpiryInterval: process.env.NODE_ENV === 'test' ? 300 : 86_400 },
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    });
    this.clients.push(client);
    client.handleMessage = (packet, done) => {
      this.handle(packet.topic, packet.payload as Buffer).then(
        () => done(),
        (err) => {
          // Not acknowledged: the broker redelivers after we reconnect.
          this.log.error({ err, topic: packet.topic }, 'alarm not stored; leaving it unacknowledged');
          client.end(true, () => client.reconnect());
        },
      );
    };
    client.on('error', (err) => this.log.warn({ err: err.message, clientId }, 'mqtt error'));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', (connack) => {
        if (connack.sessionPresent) return resolve();
        client.subscribe(this.topicFilter, { qos: 1 }, (err) => (err ? reject(err) : resolve()));
      });
      client.once('error', reject);
    });
  }

  private async handle(topic: string, payload: Buffer): Promise<void> {
    const topicDeviceId = topic.split('/').at(-1) ?? '';
    let alarm;
    try {
      alarm = parseAlarm(payload, topicDeviceId);
    } catch (err) {
      if (err instanceof AlarmRejected) return this.intake.reject('mqtt', err, { topic, deviceId: topicDeviceId, payload: payload.toString('utf8') });
      throw err;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.intake.accept(alarm, { ...SYSTEM, kind: 'device', role: 'alarm', deviceId: alarm.deviceId });
        return;
      } catch (err) {
        if (err instanceof AlarmRejected) return this.intake.reject('mqtt', err, { topic, deviceId: alarm.deviceId, payload: payload.toString('utf8') });
        if (attempt >= MAX_DB_TRIES) throw err;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  async close(): Promise<void> {
    const clients = this.clients;
    this.clients = [];
    await Promise.all(clients.map((c) => c.endAsync()));
  }
}
