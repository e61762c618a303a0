// Signed stream tokens: `v1.<payload>.<mac>`, base64url, HMAC-SHA256 under a key derived from
// the server secret. A token names the user, the session it was issued to, the stream, the
// view it belongs to and its expiry, so it is useless to another account, another stream or
// after a few minutes.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface StreamTokenClaims {
  /** user id */
  u: string;
  /** session id: a token copied into another account's (or another device's) session fails */
  sid: string;
  /** stream id */
  s: string;
  /** stream_views id this playback is logged under */
  v: string;
  /** expiry, seconds since the epoch */
  exp: number;
}

export type TokenError = 'malformed' | 'bad_signature' | 'expired';

export class StreamTokenSigner {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    // A separate key per purpose: a token MAC can never be confused with another use of the secret.
    this.key = createHmac('sha256', secret).update('qianliyan stream token v1').digest();
  }

  sign(claims: StreamTokenClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `v1.${payload}.${this.mac(payload)}`;
  }

  verify(token: string, now: Date): { ok: true; claims: StreamTokenClaims } | { ok: false; error: TokenError } {
    if (token.length > 1024) return { ok: false, error: 'malformed' };
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== 'v1' || !/^[A-Za-z0-9_-]+$/.test(parts[1]) || !/^[A-Za-z0-9_-]{43}$/.test(parts[2])) {
      return { ok: false, error: 'malformed' };
    }
    const expected = Buffer.from(this.mac(parts[1]), 'base64url');
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, error: 'bad_signature' };
    let claims: StreamTokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return { ok: false, error: 'malformed' };
    }
    const fields: (keyof StreamTokenClaims)[] = ['u', 'sid', 's', 'v'];
    if (typeof claims !== 'object' || claims === null || fields.some((f) => typeof claims[f] !== 'string') || !Number.isInteger(claims.exp)) {
      return { ok: false, error: 'malformed' };
    }
    if (claims.exp * 1000 <= now.getTime()) return { ok: false, error: 'expired' };
    return { ok: true, claims };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
