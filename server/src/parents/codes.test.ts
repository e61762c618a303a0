import { describe, expect, it } from 'vitest';
import { codeHash, newCode, normaliseCode } from './codes';

describe('parent codes', () => {
  it('look like XXXX-XXXX-XX without ambiguous characters', () => {
    for (let i = 0; i < 50; i++) expect(newCode()).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{2}$/);
  });
  it('hash the same however they are typed back', () => {
    const code = newCode();
    expect(codeHash(` ${code.toLowerCase().replace(/-/g, ' ')} `).equals(codeHash(code))).toBe(true);
    expect(normaliseCode('ab-cd')).toBe('ABCD');
  });
  it('differ from one call to the next', () => {
    expect(new Set(Array.from({ length: 100 }, newCode)).size).toBe(100);
  });
});
