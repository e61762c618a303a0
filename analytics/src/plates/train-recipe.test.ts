import { describe, expect, it } from 'vitest';
import { stageArgs, STAGES } from './train-recipe';

describe('the training recipe', () => {
  it('is the committed model\'s seven stages, 15 700 steps', () => {
    expect(STAGES).toHaveLength(7);
    expect(STAGES.reduce((n, s) => n + s.steps, 0)).toBe(15700);
  });

  it('starts from scratch, then continues from the directory it writes', () => {
    expect(stageArgs(0, '/m')).toEqual(['--steps', '800', '--lr', '2e-3', '--seed', '20261129', '--out', '/m']);
    expect(stageArgs(6, '/m')).toEqual(['--init', '/m', '--steps', '2000', '--lr', '7e-4', '--seed', '20261206', '--out', '/m', '--real-share', '0.35', '--real-province', '0']);
  });
});
