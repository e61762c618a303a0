// Mainland Chinese licence-plate grammar (GA 36-2018), pure functions, no I/O.
// The recognizer decodes against these slot sets, and the gate rules use the confusion key to
// find near-misses, so both must agree on one definition of what a plate is.

export const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
/** Plate letters never use I or O (too close to 1 and 0). */
export const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
export const DIGITS = '0123456789';
export const ALNUM = LETTERS + DIGITS;
/** Last characters of special 7-character plates. */
export const SUFFIXES = '警学挂港澳';

export type PlateColor = 'blue' | 'yellow' | 'green' | 'white' | 'black';
export const PLATE_COLORS: readonly PlateColor[] = ['blue', 'yellow', 'green', 'white', 'black'];

export type PlateKind =
  | 'ordinary' // blue (small car) or yellow (large vehicle): 京A12345
  | 'learner' // yellow, 学 ending: 京A1234学
  | 'trailer' // yellow, 挂 ending: 京A1234挂
  | 'police' // white, 警 ending: 京A1234警
  | 'hkmacau' // black, 港/澳 ending: 粤Z1234港
  | 'nev-small' // green, 8 chars, D/F third: 粤BD12345, 粤BF1A234
  | 'nev-large'; // yellow-green, 8 chars, D/F last: 粤B12345D

/** Every symbol the recognizer can emit; index 0 is reserved for "no character" (7-char plates). */
export const VOCAB = ['', ...PROVINCES, ...LETTERS, ...DIGITS, ...SUFFIXES];
export const MAX_LEN = 8;

export interface ParsedPlate {
  text: string;
  kind: PlateKind;
  /** Colours this kind of plate is issued in. */
  colors: readonly PlateColor[];
}

interface Rule {
  kind: PlateKind;
  colors: readonly PlateColor[];
  /** One allowed-character set per position. */
  slots: readonly string[];
}

const P = PROVINCES;
const L = LETTERS;
const A = ALNUM;
const D = DIGITS;

const RULES: readonly Rule[] = [
  { kind: 'ordinary', colors: ['blue', 'yellow', 'black'], slots: [P, L, A, A, A, A, A] },
  { kind: 'learner', colors: ['yellow'], slots: [P, L, A, A, A, A, '学'] },
  { kind: 'trailer', colors: ['yellow'], slots: [P, L, A, A, A, A, '挂'] },
  { kind: 'police', colors: ['white'], slots: [P, L, D, D, D, D, '警'] },
  { kind: 'hkmacau', colors: ['black'], slots: [P, L, A, A, A, A, '港澳'] },
  { kind: 'nev-small', colors: ['green'], slots: [P, L, 'DF', A, D, D, D, D] },
  { kind: 'nev-large', colors: ['green'], slots: [P, L, D, D, D, D, D, 'DF'] },
];

function matches(rule: Rule, chars: readonly string[]): boolean {
  return chars.length === rule.slots.length && chars.every((c, i) => rule.slots[i].includes(c));
}

/** Parses a plate string (spaces, dots and lower case tolerated); null when it breaks the grammar. */
export function parsePlate(input: string): ParsedPlate | null {
  if (typeof input !== 'string' || input.length > 32) return null;
  const text = normalizePlate(input);
  const chars = [...text];
  // Letters in the alphanumeric positions may not make up the whole serial: a serial needs digits.
  for (const rule of RULES) {
    if (!matches(rule, chars)) continue;
    const serial = chars.slice(2).filter((c) => ALNUM.includes(c));
    if (serial.filter((c) => LETTERS.includes(c)).length > 3) continue;
    return { text, kind: rule.kind, colors: rule.colors };
  }
  return null;
}

export function isValidPlate(input: string): boolean {
  return parsePlate(input) !== null;
}

/** Canonical form: no whitespace or separator dots, upper case. */
export function normalizePlate(input: string): string {
  return input.replace(/[\s·.•\-_]/g, '').toUpperCase();
}

/** The kinds a plate of this colour may be; used to constrain decoding once the colour is known. */
export function kindsForColor(color: PlateColor): PlateKind[] {
  return RULES.filter((r) => r.colors.includes(color)).map((r) => r.kind);
}

export function slotsFor(kind: PlateKind): readonly string[] {
  const rule = RULES.find((r) => r.kind === kind);
  if (!rule) throw new Error(`unknown plate kind ${kind}`);
  return rule.slots;
}

export const PLATE_KINDS: readonly PlateKind[] = RULES.map((r) => r.kind);

// Characters an OCR (or a tired guard) confuses on plates, as disjoint groups; each maps to its
// first member. I and O never appear on a plate but a human may type them for 1 and 0.
const CONFUSION_GROUPS = ['0DQUO', '8B', '2Z', '1IT7', '5S', '6GC', '4A'];
const CANONICAL = new Map<string, string>(CONFUSION_GROUPS.flatMap((g) => [...g].map((c) => [c, g[0]] as [string, string])));

/** The same mapping as SQL `translate(plate, CONFUSION_FROM, CONFUSION_TO)` (server migrations). */
export const CONFUSION_FROM = CONFUSION_GROUPS.flatMap((g) => [...g.slice(1)]).join('');
export const CONFUSION_TO = CONFUSION_GROUPS.flatMap((g) => [...g.slice(1)].map(() => g[0])).join('');

/**
 * A key that is equal for plates differing only by confusable characters: store it next to a
 * registered plate and look a reading up by key to find near-misses.
 */
export function confusionKey(plate: string): string {
  return [...normalizePlate(plate)].map((c) => CANONICAL.get(c) ?? c).join('');
}

/** True when two different plates could be OCR confusions of each other. */
export function isNearMiss(a: string, b: string): boolean {
  const na = normalizePlate(a);
  const nb = normalizePlate(b);
  return na !== nb && confusionKey(na) === confusionKey(nb);
}

/** Positions where two equal-length plates differ (for a reason text such as "位置 3: 8≠B"). */
export function differingPositions(a: string, b: string): number[] {
  const ca = [...normalizePlate(a)];
  const cb = [...normalizePlate(b)];
  if (ca.length !== cb.length) return [];
  return ca.flatMap((c, i) => (c === cb[i] ? [] : [i]));
}
