// Helpers shared by the incident tests, benches and chaos script: alarm devices, MQTT publishing,
// a live-socket listener and polling.
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Pool } from 'pg';
import WebSocket from 'ws';
import { sha256 } from '../server/src/lib/tokens';

export const MQTT_URL = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/** A topic root of our own, so parallel test files never receive each other's alarms. */
export const testTopicRoot = (label: string) => `qlytest/${label}-${randomBytes(4).toString('hex')}`;

export async function createAlarmDevice(db: Pool, opts: { name?: string; siteId?: string | null; x?: number; y?: number; location?: string; contacts?: { name: string; phone: string }[] } = {}) {
  const key = `qlyk_alarm${randomBytes(3).toString('hex')}_${randomBytes(18).toString('base64url')}`;
  const { rows } = await db.query(
    `INSERT INTO devices (kind, name, site_id, key_prefix, key_hash, location, x, y) VALUES ('alarm', $1, $2, 'alarm', $3, $4, $5, $6) RETURNING id`,
    [opts.name ?? '一键求助终端', opts.siteId ?? null, sha256(key), opts.location ?? '幸福里 3 栋 502', opts.x ?? null, opts.y ?? null],
  );
  const id: string = rows[0].id;
  for (const [i, c] of (opts.contacts ?? []).entries()) {
    await db.query('INSERT INTO device_contacts (device_id, name, phone, position) VALUES ($1, $2, $3, $4)', [id, c.name, c.phone, i]);
  }
  return { id, key };
}

export function alarm(deviceId: string, type: 'sos' | 'smoke' | 'gas' | 'intrusion', extra: Record<string, unknown> = {}) {
  return { deviceId, eventId: `ev-${randomBytes(6).toString('hex')}`, type, time: new Date().toISOString(), location: { x: 150, y: 170, text: '幸福里 3 栋 502' }, ...extra };
}

export async function mqttPublisher(clientId = `qly-test-pub-${randomBytes(4).toString('hex')}`): Promise<MqttClient> {
  return mqtt.connectAsync(MQTT_URL, { clientId, clean: true, reconnectPeriod: 500 });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface LiveListener {
  events: { topic: string; data: unknown; at: number }[];
  next(topic: string, pred?: (data: any) => boolean, timeoutMs?: number): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): void;
}

/** Opens /api/ws with a session cookie and records every pushed event. */
export async function listenLive(baseUrl: string, cookie: string, onEvent?: (e: LiveListener['events'][number]) => void): Promise<LiveListener> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/ws`, { headers: { cookie } });
  const events: LiveListener['events'] = [];
  const waiters: { topic: string; pred: (d: unknown) => boolean; resolve: (d: unknown) => void }[] = [];
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString());
    if (msg.type !== 'event') return;
    const e = { topic: msg.topic, data: msg.data, at: Date.now() };
    events.push(e);
    onEvent?.(e);
    for (const w of [...waiters]) {
      if (w.topic === e.topic && w.pred(e.data)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e.data);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve()); // the hello
    ws.once('error', reject);
  });
  return {
    events,
    next(topic, pred = () => true, timeoutMs = 10_000) {
      const seen = events.find((e) => e.topic === topic && pred(e.data));
      if (seen) return Promise.resolve(seen.data);
      return new Promise((resolve, reject) => {
        const w = { topic, pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`no live ${topic} within ${timeoutMs} ms`));
          }
        }, timeoutMs).unref();
      });
    },
    close: () => ws.close(),
  };
}

export async function api(url: string, cookie: string, method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
