import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from './secret-box';

describe('secret box', () => {
  const key = randomBytes(32);
  it('round-trips and never stores the plaintext', () => {
    const sealed = seal(key, '摄像头密码 admin123');
    expect(sealed.includes(Buffer.from('admin123'))).toBe(false);
    expect(open(key, sealed)).toBe('摄像头密码 admin123');
  });
  it('rejects a tampered ciphertext or a wrong key', () => {
    const sealed = seal(key, 'secret');
    sealed[sealed.length - 1] ^= 1;
    expect(() => open(key, sealed)).toThrow();
    expect(() => open(randomBytes(32), seal(key, 'secret'))).toThrow();
  });
});
