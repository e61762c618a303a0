import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifierFromEnv, SmsGatewayNotifier } from './notifier';

const received: { auth?: string; body: unknown }[] = [];
let status = 200;
const server = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    received.push({ auth: req.headers.authorization, body: JSON.parse(raw) });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'gw-42' }));
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const message = { notificationId: 'n1', incidentId: 'i1', name: '儿子', phone: '13700000009', text: '一键求助' };
const noLog = { info() {}, warn() {}, error() {}, debug() {} };

describe('SmsGatewayNotifier', () => {
  it('posts the message with the token and our id as ref', async () => {
    status = 200;
    const ref = await new SmsGatewayNotifier({ url, token: 'tok', timeoutMs: 2000 }).send(message);
    expect(ref).toBe('gw-42');
    expect(received.at(-1)).toEqual({ auth: 'Bearer tok', body: { to: '13700000009', text: '一键求助', ref: 'n1' } });
  });
  it('rejects when the gateway refuses', async () => {
    status = 503;
    await expect(new SmsGatewayNotifier({ url, token: 'tok', timeoutMs: 2000 }).send(message)).rejects.toThrow(/503/);
  });
  it('is chosen and checked from the environment', () => {
    expect(notifierFromEnv({}, noLog as never).name).toBe('log');
    expect(notifierFromEnv({ QLY_NOTIFIER: 'sms-gateway', QLY_SMS_URL: url, QLY_SMS_TOKEN: 't' }, noLog as never).name).toBe('sms-gateway');
    expect(() => notifierFromEnv({ QLY_NOTIFIER: 'sms-gateway' }, noLog as never)).toThrow(/QLY_SMS_URL/);
    expect(() => notifierFromEnv({ QLY_NOTIFIER: 'pager' }, noLog as never)).toThrow(/log or sms-gateway/);
  });
});
