import { describe, expect, it } from 'vitest';
import { AlarmRejected, parseAlarm } from './alarms';

const dev = '0b2f0954-f619-4261-8bd1-dc8370d10d55';
const good = { deviceId: dev, eventId: 'e-1', type: 'sos', time: '2026-11-29T10:00:00+08:00', location: { x: 1, y: 2, text: '3 栋' } };
const reason = (raw: string, topicId = dev) => {
  try {
    parseAlarm(raw, topicId);
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(AlarmRejected);
    return (err as Error).message;
  }
};

describe('parseAlarm', () => {
  it('accepts a documented payload', () => {
    expect(parseAlarm(JSON.stringify(good), dev)).toEqual(good);
    expect(reason(JSON.stringify({ ...good, location: undefined }))).toBe('ok');
  });
  it('names the first problem of a bad one', () => {
    expect(reason('{')).toBe('payload is not JSON');
    expect(reason('[]')).toMatch(/^\//);
    expect(reason(JSON.stringify({ ...good, type: 'fire' }))).toMatch(/\/type/);
    expect(reason(JSON.stringify({ ...good, time: 'yesterday' }))).toMatch(/\/time/);
    expect(reason(JSON.stringify({ ...good, eventId: 'a b' }))).toMatch(/\/eventId/);
    expect(reason(JSON.stringify({ ...good, eventId: 'x'.repeat(65) }))).toMatch(/\/eventId/);
    expect(reason(JSON.stringify({ ...good, extra: true }))).toMatch(/extra|additional/i);
    expect(reason(JSON.stringify({ ...good, location: { text: '<b>' } }))).toMatch(/\/location\/text/);
    expect(reason(JSON.stringify({ ...good, location: { x: 1e9 } }))).toMatch(/\/location\/x/);
    expect(reason(JSON.stringify(good), '0b2f0954-f619-4261-8bd1-dc8370d10d56')).toBe('deviceId differs from the topic');
    expect(reason(JSON.stringify(good), 'not-a-uuid')).toBe('topic device id is not a UUID');
  });
});
