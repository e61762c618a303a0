import { describe, expect, it } from 'vitest';
import { formatDuration } from './format';

describe('formatDuration', () => {
  it('reads seconds, minutes and hours in both languages', () => {
    expect(formatDuration(7_400, 'zh-CN')).toBe('7秒');
    expect(formatDuration(192_000, 'zh-CN')).toBe('3分12秒');
    expect(formatDuration(3_725_000, 'zh-CN')).toBe('1小时2分');
    expect(formatDuration(65_000, 'en')).toBe('1m 05s');
    expect(formatDuration(3_725_000, 'en')).toBe('1h 02m');
    expect(formatDuration(-5, 'en')).toBe('0s');
  });
});
