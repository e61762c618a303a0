// One-time codes staff hand to a parent (invitation, password reset): short enough to read out
// over the phone, long enough (~50 bits) that guessing under a rate limit is hopeless.
import { randomInt } from 'node:crypto';
import { sha256 } from '../lib/tokens';

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I/L
const LENGTH = 10;

export function newCode(): string {
  let raw = '';
  for (let i = 0; i < LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** Case, spaces and dashes don't matter when a parent types the code back. */
export const normaliseCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

export const codeHash = (code: string) => sha256(`parent-code:${normaliseCode(code)}`);
