import { describe, expect, it } from 'vitest';
import { fitWithin, MAX_SIDE_PX } from './shrink-photo';

describe('fitWithin', () => {
  it('scales the long side down to the limit and keeps the aspect', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: MAX_SIDE_PX, height: 1536 });
    expect(fitWithin(3000, 4000)).toEqual({ width: 1536, height: MAX_SIDE_PX });
  });
  it('leaves small pictures alone', () => {
    expect(fitWithin(1280, 720)).toEqual({ width: 1280, height: 720 });
  });
});
