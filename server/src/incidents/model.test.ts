import { describe, expect, it } from 'vitest';
import { slaPhase } from './model';
import { sniffImage } from './photos';

describe('slaPhase', () => {
  const created = new Date('2026-01-01T00:00:00Z');
  const at = (s: number) => new Date(created.getTime() + s * 1000);
  it('is running, then breached, unless done in time', () => {
    expect(slaPhase(created, 60, null, false, at(30))).toEqual({ due: at(60).toISOString(), state: 'running' });
    expect(slaPhase(created, 60, null, false, at(61)).state).toBe('breached');
    expect(slaPhase(created, 60, at(59), false, at(500)).state).toBe('met');
    expect(slaPhase(created, 60, at(61), false, at(500)).state).toBe('breached');
    expect(slaPhase(created, 60, null, true, at(500)).state).toBe('stopped');
  });
});

describe('sniffImage', () => {
  it('knows JPEG and PNG by their bytes only', () => {
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImage(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffImage(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffImage(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });
});
