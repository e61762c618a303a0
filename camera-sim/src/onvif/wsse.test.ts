import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSoapRequest } from './soap';
import { CREATED_WINDOW_MS, UsernameTokenVerifier } from './wsse';

function header(user: string, pass: string, created: string, nonce = randomBytes(16), type = 'PasswordDigest') {
  const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(pass)])).digest('base64');
  const xml =
    `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header><Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken>` +
    `<Username>${user}</Username><Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#${type}">${type === 'PasswordDigest' ? digest : pass}</Password>` +
    `<Nonce>${nonce.toString('base64')}</Nonce><Created>${created}</Created></UsernameToken></Security></s:Header><s:Body><GetScopes/></s:Body></s:Envelope>`;
  return parseSoapRequest(xml).header;
}

describe('UsernameTokenVerifier', () => {
  const creds = { username: 'admin', password: 'secret' };
  const now = Date.parse('2026-11-29T12:00:00Z');

  it('accepts a valid PasswordDigest once', () => {
    const v = new UsernameTokenVerifier();
    const h = header('admin', 'secret', '2026-11-29T12:00:01.000Z');
    expect(v.verify(h, creds, now)).toBeUndefined();
    expect(v.verify(h, creds, now)).toBe('nonce replayed');
  });

  it('rejects wrong passwords and users, PasswordText, stale or future Created, and missing tokens', () => {
    const v = new UsernameTokenVerifier();
    expect(v.verify(header('admin', 'nope', '2026-11-29T12:00:00Z'), creds, now)).toBe('wrong password');
    expect(v.verify(header('guest', 'secret', '2026-11-29T12:00:00Z'), creds, now)).toBe('unknown user');
    expect(v.verify(header('admin', 'secret', '2026-11-29T12:00:00Z', undefined, 'PasswordText'), creds, now)).toMatch(/PasswordDigest/);
    expect(v.verify(header('admin', 'secret', new Date(now - CREATED_WINDOW_MS - 1000).toISOString()), creds, now)).toMatch(/window/);
    expect(v.verify(header('admin', 'secret', new Date(now + CREATED_WINDOW_MS + 1000).toISOString()), creds, now)).toMatch(/window/);
    expect(v.verify(header('admin', 'secret', 'yesterday'), creds, now)).toMatch(/window/);
    expect(v.verify(undefined, creds, now)).toBe('no UsernameToken');
  });
});
