// WS-Security UsernameToken with PasswordDigest (OASIS UsernameToken Profile 1.0 §3.1):
// Base64(SHA-1(nonce + created + password)), with created-time and nonce-replay checks.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Credentials } from '../rtsp/digest';
import { attr, child, text, type XmlNode } from './xml';

/** How far the client's Created may be from the camera clock. */
export const CREATED_WINDOW_MS = 5 * 60_000;
const MAX_REMEMBERED_NONCES = 4096;

const DIGEST_TYPE = 'PasswordDigest';

export class UsernameTokenVerifier {
  private readonly seen = new Map<string, number>();

  /** Returns undefined when the header authenticates, or why it does not. */
  verify(header: XmlNode | undefined, creds: Credentials, nowMs: number): string | undefined {
    const token = child(child(header, 'Security'), 'UsernameToken');
    if (!token) return 'no UsernameToken';
    const username = text(token, 'Username');
    const passwordNode = child(token, 'Password');
    const password = text(passwordNode);
    const nonce = text(token, 'Nonce');
    const created = text(token, 'Created');
    if (!username || !password || !nonce || !created) return 'incomplete UsernameToken';
    const type = attr(passwordNode, 'Type') ?? '';
    if (!type.endsWith(DIGEST_TYPE)) return 'only PasswordDigest is accepted';
    const createdMs = Date.parse(created);
    if (!Number.isFinite(createdMs) || Math.abs(createdMs - nowMs) > CREATED_WINDOW_MS) return 'Created outside the accepted window';
    if (username !== creds.username) return 'unknown user';
    const nonceBytes = Buffer.from(nonce, 'base64');
    if (nonceBytes.length < 8) return 'nonce too short';
    const expected = createHash('sha1')
      .update(Buffer.concat([nonceBytes, Buffer.from(created, 'utf8'), Buffer.from(creds.password, 'utf8')]))
      .digest();
    const given = Buffer.from(password, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'wrong password';
    if (this.seen.has(nonce)) return 'nonce replayed';
    this.remember(nonce, nowMs);
    return undefined;
  }

  private remember(nonce: string, nowMs: number): void {
    for (const [n, at] of this.seen) {
      if (this.seen.size < MAX_REMEMBERED_NONCES && nowMs - at < 2 * CREATED_WINDOW_MS) break;
      this.seen.delete(n);
    }
    this.seen.set(nonce, nowMs);
  }
}
