import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error';
import { ApiError } from './errors';

const zh: Record<string, string> = { 'errors.validation': '输入有误', 'errors.forbidden': '没有权限执行此操作', 'errors.unknown': '发生未知错误' };
const i18n = { t: (k: string) => zh[k] ?? k, te: (k: string) => k in zh };

describe('describeError', () => {
  it('translates known codes and keeps the detail where it helps', () => {
    expect(describeError(new ApiError(400, 'validation', 'body/phone must match pattern'), i18n)).toBe('输入有误: body/phone must match pattern');
    // A 403 message is not shown: the translated sentence says all the user needs.
    expect(describeError(new ApiError(403, 'forbidden', 'Role operator may not DELETE /api/users'), i18n)).toBe('没有权限执行此操作');
  });

  it('falls back to the server message, then to a generic sentence', () => {
    expect(describeError(new ApiError(418, 'teapot', 'I am a teapot'), i18n)).toBe('I am a teapot');
    expect(describeError(new ApiError(418, 'teapot', ''), i18n)).toBe('发生未知错误');
  });
});
