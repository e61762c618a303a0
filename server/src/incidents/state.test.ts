import { describe, expect, it } from 'vitest';
import { ACTIONS, nextStatus, STATUSES, type Action, type Status } from './state';

describe('incident state machine', () => {
  it('allows exactly the documented moves', () => {
    const allowed: string[] = [];
    for (const from of STATUSES) for (const action of [...ACTIONS, 'dispatch'] as (Action | 'dispatch')[]) {
      const to = nextStatus(from, action);
      if (to) allowed.push(`${from} -${action}-> ${to}`);
    }
    expect(allowed.sort()).toEqual(
      [
        'new -dispatch-> dispatched',
        'dispatched -dispatch-> dispatched',
        'dispatched -acknowledge-> acknowledged',
        'acknowledged -arrive-> on_scene',
        'on_scene -resolve-> resolved',
        'resolved -close-> closed',
        'new -cancel-> cancelled',
        'dispatched -cancel-> cancelled',
        'acknowledged -cancel-> cancelled',
        'on_scene -cancel-> cancelled',
      ].sort(),
    );
  });
  it('never leaves closed or cancelled', () => {
    for (const from of ['closed', 'cancelled'] as Status[]) for (const a of [...ACTIONS, 'dispatch'] as const) expect(nextStatus(from, a)).toBeNull();
  });
});
