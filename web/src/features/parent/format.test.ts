import { describe, expect, it } from 'vitest';
import { formatDayTime, formatTime, weekdayName } from './format';

describe('parent page formatting', () => {
  it("shows times in the classroom's zone, not the phone's", () => {
    expect(formatTime('2026-12-01T10:30:00Z', 'Asia/Shanghai', 'zh-CN')).toBe('18:30');
    expect(formatTime('2026-12-01T10:30:00Z', 'Europe/Berlin', 'en')).toBe('11:30');
  });
  it('names weekdays with 0 = Sunday', () => {
    expect([0, 1, 6].map((d) => weekdayName(d, 'zh-CN'))).toEqual(['周日', '周一', '周六']);
    expect(weekdayName(3, 'en')).toBe('Wed');
  });
  it('gives day and time of the next opening', () => {
    expect(formatDayTime('2026-12-02T08:00:00Z', 'Asia/Shanghai', 'zh-CN')).toContain('16:00');
    expect(formatDayTime('2026-12-02T08:00:00Z', 'Asia/Shanghai', 'zh-CN')).toContain('周三');
  });
});
