import { describe, expect, it } from 'vitest';
import { h264ProfileOf, profileLevelIdFromProbe, routerMediaCodecs, UnsupportedCodecError } from './codecs';

describe('h264ProfileOf', () => {
  it('classifies the profiles Chromium decodes', () => {
    expect(h264ProfileOf('42e01f')).toBe('constrained-baseline');
    expect(h264ProfileOf('42C01E')).toBe('constrained-baseline'); // what x264 -profile:v baseline writes
    expect(h264ProfileOf('42001f')).toBe('baseline');
    expect(h264ProfileOf('4d0028')).toBe('main');
  });

  it('refuses High and friends with a reason that names the fix', () => {
    expect(() => h264ProfileOf('640028')).toThrow(UnsupportedCodecError);
    expect(() => h264ProfileOf('640028')).toThrow(/transcode/);
    expect(() => h264ProfileOf('f4001f')).toThrow(/profile_idc 244/);
  });

  it('refuses malformed ids', () => {
    for (const bad of ['', '42e01', '42e01f0', 'zzzzzz', ' 42e01f']) {
      expect(() => h264ProfileOf(bad)).toThrow(/invalid H.264 profile-level-id/);
    }
  });
});

describe('profileLevelIdFromProbe', () => {
  it('maps ffprobe names and levels', () => {
    expect(profileLevelIdFromProbe('Constrained Baseline', 30)).toBe('42e01e');
    expect(profileLevelIdFromProbe('Baseline', 31)).toBe('42001f');
    expect(profileLevelIdFromProbe('Main', 40)).toBe('4d0028');
  });

  it('refuses High and bad levels', () => {
    expect(() => profileLevelIdFromProbe('High', 40)).toThrow(UnsupportedCodecError);
    expect(() => profileLevelIdFromProbe('Main', 0)).toThrow(/invalid H.264 level/);
    expect(() => profileLevelIdFromProbe('Main', 1.5)).toThrow(/invalid H.264 level/);
  });
});

describe('routerMediaCodecs', () => {
  it('offers exactly the three playable profiles, packetization-mode 1, with PLI feedback', () => {
    const codecs = routerMediaCodecs();
    expect(codecs.map((c) => h264ProfileOf(String(c.parameters?.['profile-level-id'])))).toEqual([
      'constrained-baseline',
      'baseline',
      'main',
    ]);
    for (const c of codecs) {
      expect(c.parameters?.['packetization-mode']).toBe(1);
      expect(c.rtcpFeedback).toContainEqual({ type: 'nack', parameter: 'pli' });
    }
  });
});
