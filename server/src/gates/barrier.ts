// Decisions to the barrier controllers over MQTT (QoS 1: a controller that was offline gets it
// when it reconnects with a persistent session). Topic `<root>/gates/<gateId>/decision`, root
// `QLY_MQTT_TOPIC_ROOT` (default `qly`, as for alarms). Publishing never blocks a decision: it is
// already stored, and mqtt.js queues QoS 1 messages while the broker is away.
import mqtt, { type MqttClient } from 'mqtt';

export interface BarrierMessage {
  decisionId: string;
  gateId: string;
  decision: 'allow' | 'deny' | 'review';
  rule: string;
  reason: string;
  plate: string | null;
  /** `check` (device, camera or image), or `review` (a person decided a doubtful case). */
  kind: 'check' | 'review';
  at: string;
}

export const barrierTopic = (root: string, gateId: string) => `${root}/gates/${gateId}/decision`;

export class BarrierPublisher {
  private client: MqttClient | null = null;
  published = 0;
  failed = 0;

  constructor(
    private readonly url: string,
    readonly topicRoot: string,
    private readonly onError: (err: Error) => void,
  ) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects now (otherwise on the first publish), so health shows the broker from the start. */
  connect(): void {
    void this.mqtt;
  }

  private get mqtt(): MqttClient {
    if (!this.client) {
      this.client = mqtt.connect(this.url, { reconnectPeriod: 1000, connectTimeout: 5000, clientId: `qly-gates-${process.pid}-${Math.random().toString(36).slice(2, 8)}` });
      this.client.on('error', (err) => this.onError(err));
    }
    return this.client;
  }

  publish(msg: BarrierMessage): void {
    this.mqtt.publish(barrierTopic(this.topicRoot, msg.gateId), JSON.stringify(msg), { qos: 1 }, (err) => {
      if (err) {
        this.failed++;
        this.onError(err);
      } else this.published++;
    });
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (!c) return;
    // A graceful end waits for unacknowledged QoS 1 messages; never longer than 2 s.
    await Promise.race([c.endAsync(), new Promise((r) => setTimeout(r, 2000).unref())]);
    c.end(true);
  }
}
