// What each kind of incident demands: its priority, whether it goes straight to the nearest team,
// how long a team has to acknowledge before escalation, and whom else to tell.
export const ALARM_TYPES = ['sos', 'smoke', 'gas', 'intrusion'] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];

export interface ResponsePlan {
  /** 1 is the most urgent. */
  priority: 1 | 2 | 3 | 4 | 5;
  /** Dispatch to the nearest team on intake, without waiting for an operator. */
  autoDispatch: boolean;
  /** Seconds a team has to acknowledge before the dispatch escalates to the next team. */
  ackSeconds: number;
  /** Notify the device's preset contacts (a resident's family for one-key SOS). */
  notifyContacts: boolean;
  /** zh-CN title used when the source gives none. */
  title: string;
}

const PLANS: Record<string, ResponsePlan> = {
  sos: { priority: 1, autoDispatch: true, ackSeconds: 60, notifyContacts: true, title: '一键求助（SOS）' },
  smoke: { priority: 1, autoDispatch: true, ackSeconds: 60, notifyContacts: false, title: '烟感报警' },
  gas: { priority: 1, autoDispatch: true, ackSeconds: 60, notifyContacts: false, title: '燃气泄漏报警' },
  intrusion: { priority: 2, autoDispatch: false, ackSeconds: 120, notifyContacts: false, title: '入侵报警' },
  watchlist_plate: { priority: 2, autoDispatch: false, ackSeconds: 180, notifyContacts: false, title: '布控车辆出现' },
  stall: { priority: 3, autoDispatch: false, ackSeconds: 300, notifyContacts: false, title: '占道经营' },
};
const DEFAULT_PLAN: ResponsePlan = { priority: 3, autoDispatch: false, ackSeconds: 300, notifyContacts: false, title: '事件' };

/** Service-level targets by priority, in seconds from creation: acknowledge, reach the scene, resolve. */
export const SLA_TARGETS: Record<number, { ack: number; scene: number; resolve: number }> = {
  1: { ack: 60, scene: 600, resolve: 3600 },
  2: { ack: 180, scene: 1200, resolve: 7200 },
  3: { ack: 300, scene: 1800, resolve: 14400 },
  4: { ack: 900, scene: 3600, resolve: 86400 },
  5: { ack: 1800, scene: 7200, resolve: 172800 },
};

export interface PlanOverrides {
  /** Demo and tests: every plan's acknowledgement window, in seconds. */
  ackSeconds?: number;
}

export function planFor(type: string, overrides: PlanOverrides = {}): ResponsePlan {
  const plan = PLANS[type] ?? DEFAULT_PLAN;
  return overrides.ackSeconds ? { ...plan, ackSeconds: overrides.ackSeconds } : plan;
}

/** How many teams an incident is passed through before the supervisor is left to act alone. */
export const MAX_DISPATCH_ATTEMPTS = 3;
