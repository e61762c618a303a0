import { describe, expect, it } from 'vitest';
import { StreamTokenSigner, type StreamTokenClaims } from './stream-token';

const signer = new StreamTokenSigner(Buffer.alloc(32, 1));
const now = new Date('2026-12-01T09:00:00Z');
const claims: StreamTokenClaims = { u: 'user-1', sid: 'session-1', s: 'stream-1', v: 'view-1', exp: now.getTime() / 1000 + 300 };

describe('stream tokens', () => {
  it('round-trips the claims', () => {
    expect(signer.verify(signer.sign(claims), now)).toEqual({ ok: true, claims });
  });
  it('rejects an expired token', () => {
    expect(signer.verify(signer.sign(claims), new Date(claims.exp * 1000))).toEqual({ ok: false, error: 'expired' });
  });
  it('rejects an edited payload', () => {
    const [v, , mac] = signer.sign(claims).split('.');
    const edited = Buffer.from(JSON.stringify({ ...claims, s: 'stream-2' })).toString('base64url');
    expect(signer.verify(`${v}.${edited}.${mac}`, now)).toEqual({ ok: false, error: 'bad_signature' });
  });
  it('rejects a token signed with another key', () => {
    const other = new StreamTokenSigner(Buffer.alloc(32, 2));
    expect(signer.verify(other.sign(claims), now)).toEqual({ ok: false, error: 'bad_signature' });
  });
  it('rejects garbage of every shape', () => {
    for (const t of ['', 'v1', 'v1..', 'v2.a.b', `v1.${'a'.repeat(2000)}.x`, 'v1.e30.' + 'A'.repeat(43), 'v1.%%%.' + 'A'.repeat(43)]) {
      expect(signer.verify(t, now).ok).toBe(false);
    }
  });
  it('rejects a correctly signed payload with missing claims', () => {
    const payload = Buffer.from(JSON.stringify({ u: 'x' })).toString('base64url');
    const mac = (signer as unknown as { mac(p: string): string }).mac(payload);
    expect(signer.verify(`v1.${payload}.${mac}`, now)).toEqual({ ok: false, error: 'malformed' });
  });
});
