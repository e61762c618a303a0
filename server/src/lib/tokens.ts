import { createHash, randomBytes } from 'node:crypto';

export const sha256 = (value: string) => createHash('sha256').update(value).digest();
export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Device API keys look like `qlyk_<8-char prefix>_<secret>`; the prefix is shown in lists. */
export function newDeviceKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  const key = `qlyk_${prefix}_${newToken(24)}`;
  return { key, prefix, hash: sha256(key) };
}
