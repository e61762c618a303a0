import { describe, expect, it } from 'vitest';
import { confusionKey, differingPositions, isNearMiss, isValidPlate, kindsForColor, normalizePlate, parsePlate, PROVINCES, VOCAB } from './grammar';
import { Rng } from './rng';
import { randomPlate } from './synth';

describe('plate grammar', () => {
  it.each([
    ['京A12345', 'ordinary'],
    ['粤B8Z23X', 'ordinary'],
    ['沪A1234学', 'learner'],
    ['苏E1234挂', 'trailer'],
    ['京A1234警', 'police'],
    ['粤Z1234港', 'hkmacau'],
    ['粤Z123A澳', 'hkmacau'],
    ['粤BD12345', 'nev-small'],
    ['粤BFA1234', 'nev-small'],
    ['川A12345D', 'nev-large'],
  ])('accepts %s as %s', (text, kind) => {
    expect(parsePlate(text)?.kind).toBe(kind);
  });

  it.each([
    ['', 'empty'],
    ['京A1234', 'too short'],
    ['京A123456', '8 chars but not new-energy'],
    ['京I12345', 'I is never a plate letter'],
    ['京AO1234', 'O is never a plate letter'],
    ['A京12345', 'province not first'],
    ['港A12345', '港 is not a province'],
    ['京112345', 'second char must be a letter'],
    ['京AABCDE', 'a serial of letters only'],
    ['京A12C4警', 'police serials are digits'],
    ['粤BA12345', 'small NEV third char is D or F'],
    ['川A1234AD', 'large NEV serial is digits'],
    ['京A12345学', 'learner plates have 4 serial chars'],
    ['京A1234😀', 'emoji'],
    ['京'.repeat(40), 'very long'],
  ])('rejects %s (%s)', (text) => {
    expect(parsePlate(text)).toBeNull();
    expect(isValidPlate(text)).toBe(false);
  });

  it('rejects non-strings without throwing', () => {
    expect(parsePlate(undefined as unknown as string)).toBeNull();
    expect(parsePlate(12345 as unknown as string)).toBeNull();
  });

  it('tolerates separators, spaces and lower case', () => {
    expect(normalizePlate(' 京a·12345 ')).toBe('京A12345');
    expect(parsePlate('粤b d12345')?.text).toBe('粤BD12345');
  });

  it('knows every province and which kinds each colour allows', () => {
    expect([...PROVINCES]).toHaveLength(31);
    for (const p of PROVINCES) expect(isValidPlate(`${p}A12345`)).toBe(true);
    expect(kindsForColor('green')).toEqual(['nev-small', 'nev-large']);
    expect(kindsForColor('white')).toEqual(['police']);
    expect(VOCAB[0]).toBe('');
    expect(new Set(VOCAB).size).toBe(VOCAB.length);
  });

  it('every generated training plate is grammatical', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 2000; i++) {
      const p = randomPlate(rng);
      expect(parsePlate(p.text)?.kind, p.text).toBe(p.kind);
    }
  });
});

describe('OCR near-misses', () => {
  it.each([
    ['粤B8234D', '粤BB234D'],
    ['京A0D123', '京AD0123'],
    ['沪A2Z345', '沪AZ2345'],
    ['京A12345', '京AI2345'],
    ['京A55555', '京ASSSSS'],
  ])('%s and %s are near-misses', (a, b) => {
    expect(isNearMiss(a, b)).toBe(true);
    expect(confusionKey(a)).toBe(confusionKey(b));
  });

  it.each([
    ['京A12345', '京A12345'],
    ['京A12345', '京A12346'],
    ['京A12345', '沪A12345'],
    ['京A12345', '京A1234'],
  ])('%s and %s are not near-misses', (a, b) => {
    expect(isNearMiss(a, b)).toBe(false);
  });

  it('lists the positions that differ', () => {
    expect(differingPositions('粤B8234D', '粤BB234D')).toEqual([2]);
    expect(differingPositions('京A12345', '京A1234')).toEqual([]);
  });
});
