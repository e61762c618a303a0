// HTTP Digest authentication (RFC 2617, MD5, qop=auth or none) as IP cameras do it for RTSP and snapshots.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

const NONCE_TTL_MS = 5 * 60_000;
const MAX_NONCES = 2048;

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export function parseAuthParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) params.set(m[1].toLowerCase(), m[2] ?? m[3]);
  return params;
}

export class DigestAuth {
  private readonly nonces = new Map<string, number>();

  constructor(
    readonly realm: string,
    private readonly credentials: () => Credentials,
  ) {}

  /** Value for a WWW-Authenticate header; every challenge carries a fresh nonce. */
  challenge(): string {
    const nonce = randomBytes(16).toString('hex');
    if (this.nonces.size >= MAX_NONCES) this.nonces.delete(this.nonces.keys().next().value as string);
    this.nonces.set(nonce, Date.now() + NONCE_TTL_MS);
    return `Digest realm="${this.realm}", nonce="${nonce}", algorithm=MD5, qop="auth"`;
  }

  /** RTSP wants no qop (ffmpeg and most cameras use the RFC 2069 form there). */
  challengeWithoutQop(): string {
    return this.challenge().replace(', qop="auth"', '');
  }

  verify(method: string, authorization: string | undefined): boolean {
    if (!authorization) return false;
    const { username, password } = this.credentials();
    if (/^Basic /i.test(authorization)) return false;
    if (!/^Digest /i.test(authorization)) return false;
    const p = parseAuthParams(authorization.slice(7));
    const nonce = p.get('nonce');
    const uri = p.get('uri');
    const response = p.get('response');
    if (!nonce || !uri || !response || p.get('username') !== username || p.get('realm') !== this.realm) return false;
    const expires = this.nonces.get(nonce);
    if (!expires || expires < Date.now()) return false;
    const ha1 = md5(`${username}:${this.realm}:${password}`);
    const ha2 = md5(`${method}:${uri}`);
    const qop = p.get('qop');
    const expected = qop === 'auth' ? md5(`${ha1}:${nonce}:${p.get('nc') ?? ''}:${p.get('cnonce') ?? ''}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    return safeEqual(expected, response.toLowerCase());
  }

  /** Snapshots also accept Basic, as many cameras do, so plain HTTP clients can fetch them. */
  verifyBasic(authorization: string | undefined): boolean {
    if (!authorization || !/^Basic /i.test(authorization)) return false;
    const { username, password } = this.credentials();
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    return safeEqual(decoded, `${username}:${password}`);
  }
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
