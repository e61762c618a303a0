import { http } from '../../api/http';
import { resource } from '../../api/resource';
import type { Page } from '../../api/types';

// Shapes of server/src/routes/gates.ts and server/src/gates/registries.ts.
export type Verdict = 'allow' | 'deny' | 'review';

export interface Gate {
  id: string;
  siteId: string;
  name: string;
  cameraId: string | null;
  direction: 'in' | 'out';
}

export interface GateDecision {
  decisionId: string;
  gateId: string;
  decision: Verdict;
  rule: string;
  reason: string;
  plate: string | null;
  plateType: string | null;
  confidence: number | null;
  source: 'text' | 'image' | 'camera';
  details: { box?: unknown; resembles?: string };
  hasImage: boolean;
  reviewDecision: 'allow' | 'deny' | null;
  reviewedAt: string | null;
  createdAt: string;
}

/** What a decision amounts to now: a person's review outcome, else the rules' verdict. */
export const finalVerdict = (d: GateDecision): Verdict => d.reviewDecision ?? d.decision;
/** Element Plus tag colour of a verdict. */
export const VERDICT_TAG = { allow: 'success', deny: 'danger', review: 'warning' } as const satisfies Record<Verdict, string>;
/** A decision has a plate crop when it kept a picture and the box read in it. */
export const hasPlateCrop = (d: GateDecision): boolean => d.hasImage && Boolean(d.details.box);

export interface Household {
  id: string;
  siteId: string;
  unit: string;
  headName: string;
  phone: string | null;
  affordable: boolean;
}
export type HouseholdBody = Omit<Household, 'id' | 'phone'> & { phone?: string };

export const PLATE_TYPES = ['blue', 'yellow', 'green', 'white', 'black'] as const;
export interface Vehicle {
  id: string;
  householdId: string;
  plate: string;
  plateType: (typeof PLATE_TYPES)[number];
  brand: string;
  model: string;
  vehicleClass: string;
  declaredValue: number;
}
export type VehicleBody = Omit<Vehicle, 'id'>;

export interface VisitorPass {
  id: string;
  siteId: string;
  householdId: string | null;
  plate: string;
  validFrom: string;
  validTo: string;
  multiEntry: boolean;
  entries: number;
}
export type PassBody = Omit<VisitorPass, 'id' | 'entries' | 'householdId'> & { householdId?: string };

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export interface WatchEntry {
  id: string;
  plate: string;
  reason: string;
  severity: (typeof SEVERITIES)[number];
  active: boolean;
}
export type WatchBody = Omit<WatchEntry, 'id'>;

export interface FlaggedHousehold {
  householdId: string;
  unit: string;
  headName: string;
  vehicles: { plate: string; vehicleClass: string; declaredValue: number }[];
  reason: string;
}

export const gatesApi = resource<Gate, Omit<Gate, 'id'>>('/api/gates');
export const householdsApi = resource<Household, HouseholdBody>('/api/households');
export const vehiclesApi = resource<Vehicle, VehicleBody>('/api/vehicles');
export const passesApi = resource<VisitorPass, PassBody>('/api/visitor-passes');
export const watchlistApi = resource<WatchEntry, WatchBody>('/api/watchlist');

/** The rules a decision names (server/src/gates/rules.ts), in the order they are tried. */
export const RULES = ['unreadable', 'watchlist', 'watchlist-near-miss', 'low-confidence', 'resident', 'affordable-housing', 'visitor-pass', 'pass-expired', 'pass-used', 'near-miss', 'unknown'] as const;

export type DecisionQuery = {
  gateId?: string;
  pendingReview?: boolean;
  decision?: Verdict;
  rule?: string;
  plate?: string;
  /** Plate or reason, substring. */
  q?: string;
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
};

export const decisionsApi = {
  list: (query: DecisionQuery) =>
    http.get<Page<GateDecision>>('/api/gate-decisions', { query }),
  review: (id: string, decision: 'allow' | 'deny') => http.post<GateDecision>(`/api/gate-decisions/${encodeURIComponent(id)}/review`, { decision }),
  cropUrl: (id: string) => `/api/gate-decisions/${encodeURIComponent(id)}/crop`,
  imageUrl: (id: string) => `/api/gate-decisions/${encodeURIComponent(id)}/image`,
};

export const flaggedApi = (siteId: string) => http.get<{ items: FlaggedHousehold[] }>(`/api/sites/${encodeURIComponent(siteId)}/flagged-households`);

/** The estate's affordable-housing line (`server/src/gates/estate-rules.ts`); only an admin may save it. */
export interface EstateRule {
  siteId: string;
  /** Yuan. */
  maxVehicleValue: number;
  flaggedClasses: string[];
  /** Null: the estate still has the defaults. */
  updatedAt: string | null;
  updatedBy: { id: string; name: string } | null;
}
export type EstateRuleBody = Pick<EstateRule, 'maxVehicleValue' | 'flaggedClasses'>;

const rulePath = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/estate-rules`;
export const estateRulesApi = {
  get: (siteId: string) => http.get<EstateRule>(rulePath(siteId)),
  save: (siteId: string, body: EstateRuleBody) => http.request<EstateRule>('PUT', rulePath(siteId), { body }),
};
