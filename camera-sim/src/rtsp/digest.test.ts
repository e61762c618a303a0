import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DigestAuth, parseAuthParams } from './digest';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

function answer(challenge: string, user: string, pass: string, method: string, uri: string, qop = false): string {
  const c = parseAuthParams(challenge.slice(7));
  const ha1 = md5(`${user}:${c.get('realm')}:${pass}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = qop ? md5(`${ha1}:${c.get('nonce')}:00000001:abc:auth:${ha2}`) : md5(`${ha1}:${c.get('nonce')}:${ha2}`);
  return `Digest username="${user}", realm="${c.get('realm')}", nonce="${c.get('nonce')}", uri="${uri}", response="${response}"${qop ? ', qop=auth, nc=00000001, cnonce="abc"' : ''}`;
}

describe('DigestAuth', () => {
  const creds = { username: 'admin', password: 'pw' };
  const auth = new DigestAuth('cam', () => creds);

  it('accepts RFC 2069 and qop=auth answers to its own nonces', () => {
    expect(auth.verify('DESCRIBE', answer(auth.challengeWithoutQop(), 'admin', 'pw', 'DESCRIBE', 'rtsp://h/main'))).toBe(true);
    expect(auth.verify('GET', answer(auth.challenge(), 'admin', 'pw', 'GET', '/snapshot.jpg', true))).toBe(true);
  });

  it('rejects wrong passwords, users, methods, foreign nonces and garbage', () => {
    expect(auth.verify('DESCRIBE', answer(auth.challenge(), 'admin', 'bad', 'DESCRIBE', 'rtsp://h/main'))).toBe(false);
    expect(auth.verify('DESCRIBE', answer(auth.challenge(), 'root', 'pw', 'DESCRIBE', 'rtsp://h/main'))).toBe(false);
    expect(auth.verify('PLAY', answer(auth.challenge(), 'admin', 'pw', 'DESCRIBE', 'rtsp://h/main'))).toBe(false);
    expect(auth.verify('DESCRIBE', answer('Digest realm="cam", nonce="abcd"', 'admin', 'pw', 'DESCRIBE', 'rtsp://h/main'))).toBe(false);
    for (const junk of [undefined, '', 'Digest', 'Bearer x', 'Digest username=', `Basic ${Buffer.from('admin:pw').toString('base64')}`]) expect(auth.verify('DESCRIBE', junk)).toBe(false);
  });

  it('follows credential changes and checks Basic for snapshots', () => {
    const ch = auth.challenge();
    creds.password = 'new';
    expect(auth.verify('DESCRIBE', answer(ch, 'admin', 'pw', 'DESCRIBE', 'u'))).toBe(false);
    expect(auth.verify('DESCRIBE', answer(ch, 'admin', 'new', 'DESCRIBE', 'u'))).toBe(true);
    expect(auth.verifyBasic(`Basic ${Buffer.from('admin:new').toString('base64')}`)).toBe(true);
    expect(auth.verifyBasic(`Basic ${Buffer.from('admin:pw').toString('base64')}`)).toBe(false);
    expect(auth.verifyBasic('Basic !!!')).toBe(false);
  });
});
