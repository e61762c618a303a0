import { describe, expect, it } from 'vitest';
import { changedFields, orNull } from './changes';

describe('changedFields', () => {
  it('keeps only fields that differ, including changes to and from null', () => {
    type Fields = { displayName: string; role: string; teamId?: string | null; phone?: string | null };
    const before = { id: 'u1', displayName: '王五', role: 'patrol', teamId: 't1', phone: null };
    expect(changedFields<Fields>(before, { displayName: '王五', role: 'patrol', teamId: null, phone: '13800000000' })).toEqual({ teamId: null, phone: '13800000000' });
    expect(changedFields<Fields>(before, { displayName: '王五', role: 'patrol' })).toEqual({});
  });

  it('never sends undefined', () => {
    expect(changedFields<{ a?: number; b: number }>({ a: 1, b: 1 }, { a: undefined, b: 2 })).toEqual({ b: 2 });
  });
});

describe('orNull', () => {
  it('maps blank input to null and trims the rest', () => {
    expect(orNull('')).toBeNull();
    expect(orNull('   ')).toBeNull();
    expect(orNull(undefined)).toBeNull();
    expect(orNull(' rtsp://h/1 ')).toBe('rtsp://h/1');
  });
});
