import { describe, expect, it } from 'vitest';
import { defaultProfiles } from './profile-choice';

const p = (token: string, width: number | null, height: number | null) => ({ token, name: token, width, height, encoding: 'H264', rtsp: `rtsp://x/${token}` });

describe('default profile choice', () => {
  it('takes the largest as main and the smallest as sub', () => {
    expect(defaultProfiles([p('sub', 640, 360), p('main', 1920, 1080), p('third', 1280, 720)])).toEqual({ main: 'main', sub: 'sub' });
  });
  it('has no sub for a one-profile camera, and nothing for none', () => {
    expect(defaultProfiles([p('only', 1280, 720)])).toEqual({ main: 'only', sub: null });
    expect(defaultProfiles([])).toEqual({ main: null, sub: null });
  });
  it('treats an unknown resolution as the smallest', () => {
    expect(defaultProfiles([p('a', null, null), p('b', 640, 360)])).toEqual({ main: 'b', sub: 'a' });
  });
});
