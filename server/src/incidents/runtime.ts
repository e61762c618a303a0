// Everything incidents need at run time, wired once: the service, the job queue and its worker,
// the alarm intake (HTTP + MQTT) and the notifier. The API server (plugin.ts) and the standalone
// worker (workers/main.ts) both build one of these.
import type { Pool } from 'pg';
import type { LiveAudience } from '../live/hub';
import { AlarmIntake } from './alarms';
import type { Log } from './effects';
import { incidentsForOrphanEvents } from './events';
import { IncidentJobs } from './jobs';
import { MqttAlarmIntake } from './mqtt-intake';
import { notifierFromEnv, type Notifier } from './notifier';
import { IncidentService } from './service';
import type { IncidentSettings } from './settings';

export interface RuntimeDeps {
  db: Pool;
  redisUrl: string;
  redisPrefix: string;
  mqttUrl: string;
  log: Log;
  publish(topic: string, data: unknown, audience?: LiveAudience): Promise<void>;
  /** Re-check playing streams now (the API server's stream guard); absent in a worker without one. */
  streamAccessChanged?(ended: boolean): Promise<void>;
  notifier?: Notifier;
}

export class IncidentRuntime {
  readonly service: IncidentService;
  readonly jobs: IncidentJobs;
  readonly intake: AlarmIntake;
  readonly notifier: Notifier;
  private mqtt: MqttAlarmIntake | null = null;

  constructor(
    private readonly deps: RuntimeDeps,
    readonly settings: IncidentSettings,
  ) {
    this.jobs = new IncidentJobs(deps.redisUrl, deps.redisPrefix, deps.log);
    this.service = new IncidentService({
      db: deps.db,
      log: deps.log,
      overrides: settings.overrides,
      sink: {
        publish: deps.publish,
        schedule: (escalations, notifications) => this.jobs.schedule(escalations, notifications),
        streamAccessChanged: deps.streamAccessChanged,
      },
    });
    this.intake = new AlarmIntake(deps.db, this.service, deps.log);
    this.notifier = deps.notifier ?? notifierFromEnv(process.env, deps.log);
  }

  get mqttConnected(): boolean | null {
    return this.mqtt ? this.mqtt.connected : null;
  }

  async start(): Promise<void> {
    const { db, log } = this.deps;
    if (this.settings.worker) {
      const repaired = await this.jobs.reconcile(db);
      const orphans = await incidentsForOrphanEvents(this.service);
      log.info({ ...repaired, orphans }, 'incident jobs reconciled');
      this.jobs.startWorker(this.service, this.notifier);
      this.jobs.startReconciler(db, this.settings.reconcileEveryMs);
    }
    if (this.settings.mqttIntake) {
      this.mqtt = new MqttAlarmIntake(this.intake, { url: this.deps.mqttUrl, topicRoot: this.settings.mqttTopicRoot, clientId: this.settings.mqttClientId, lanes: this.settings.mqttLanes }, log);
      await this.mqtt.start();
    }
  }

  async close(): Promise<void> {
    await this.mqtt?.close();
    await this.jobs.close();
  }
}
