// The incident lifecycle as data: which action moves which status where. Everything that changes
// an incident's status goes through `nextStatus`, so an illegal move is refused in one place.
export const STATUSES = ['new', 'dispatched', 'acknowledged', 'on_scene', 'resolved', 'closed', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

export const ACTIONS = ['acknowledge', 'arrive', 'resolve', 'close', 'cancel'] as const;
export type Action = (typeof ACTIONS)[number];

const MOVES: Record<Action | 'dispatch', { from: readonly Status[]; to: Status }> = {
  dispatch: { from: ['new', 'dispatched'], to: 'dispatched' },
  acknowledge: { from: ['dispatched'], to: 'acknowledged' },
  arrive: { from: ['acknowledged'], to: 'on_scene' },
  resolve: { from: ['on_scene'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  cancel: { from: ['new', 'dispatched', 'acknowledged', 'on_scene'], to: 'cancelled' },
};

/** Actions a patrol member may take on their own team's incident; the rest are the operators'. */
export const PATROL_ACTIONS: readonly Action[] = ['acknowledge', 'arrive', 'resolve'];

export const OPEN_STATUSES: readonly Status[] = ['new', 'dispatched', 'acknowledged', 'on_scene'];

/** The status after `action`, or null when the action is not allowed from `from`. */
export function nextStatus(from: Status, action: Action | 'dispatch'): Status | null {
  const move = MOVES[action];
  return move.from.includes(from) ? move.to : null;
}

/** Column stamped with the time a status is first reached. */
export const STATUS_TIME_COLUMN: Partial<Record<Status, string>> = {
  dispatched: 'dispatched_at',
  acknowledged: 'acknowledged_at',
  on_scene: 'on_scene_at',
  resolved: 'resolved_at',
  closed: 'closed_at',
};
