// The gate rules as one pure function over what the database knows about a plate, so every
// rule and its order can be tested without a server. The order is the policy:
// unreadable → watch list → low confidence → resident (with the affordable-housing check) →
// visitor pass → near-miss → unknown. A near-miss (OCR-confusable characters) can only ever
// lead to review or deny, never to allow.

export type Decision = 'allow' | 'deny' | 'review';
export type Rule =
  | 'unreadable'
  | 'watchlist'
  | 'watchlist-near-miss'
  | 'low-confidence'
  | 'resident'
  | 'affordable-housing'
  | 'visitor-pass'
  | 'pass-expired'
  | 'pass-used'
  | 'near-miss'
  | 'unknown';

export interface Vehicle {
  id: string;
  plate: string;
  householdId: string;
  unit: string;
  affordable: boolean;
  vehicleClass: string;
  declaredValue: number;
}

export interface Pass {
  id: string;
  plate: string;
  validFrom: Date;
  validTo: Date;
  multiEntry: boolean;
  entries: number;
}

export interface WatchEntry {
  id: string;
  plate: string;
  reason: string;
  severity: string;
}

export interface EstateRule {
  maxVehicleValue: number;
  flaggedClasses: string[];
}

/** Everything the database holds for the read plate and its confusion key, at this gate's estate. */
export interface Facts {
  /** Normalised, grammar-valid plate, or null when nothing legible was read. */
  plate: string | null;
  confidence: number;
  watch: WatchEntry[];
  vehicles: Vehicle[];
  passes: Pass[];
  estateRule: EstateRule;
  now: Date;
}

export interface Outcome {
  decision: Decision;
  rule: Rule;
  reason: string;
  vehicle?: Vehicle;
  pass?: Pass;
  /** The registered plate a near-miss resembles. */
  resembles?: string;
  /** True when the operators must be alerted at once (watch list). */
  alert?: boolean;
}

/** Readings below this go to a person, whatever the plate. */
export const MIN_CONFIDENCE = 0.85;

const yuan = (n: number) => `${(n / 10000).toFixed(1)} 万元`;

export function decide(f: Facts): Outcome {
  if (!f.plate) return { decision: 'review', rule: 'unreadable', reason: '未能识别车牌 (no legible plate)' };
  const plate = f.plate;
  const exactWatch = f.watch.find((w) => w.plate === plate);
  if (exactWatch) {
    return { decision: 'deny', rule: 'watchlist', reason: `布控车辆: ${exactWatch.reason}`, alert: true, resembles: exactWatch.plate };
  }
  // A watched plate that differs by confusable characters, or only by the province when the reading
  // is unsure (the province is what cameras misread most), is shown to the operators at once. A
  // sure reading of another province is another car.
  const sameProvince = (w: WatchEntry) => [...w.plate][0] === [...plate][0];
  const nearWatch = f.watch.find((w) => w.plate !== plate && (sameProvince(w) || f.confidence < MIN_CONFIDENCE));
  if (nearWatch) {
    const why = sameProvince(nearWatch) ? '仅差易混字符' : `号码相同、省份不同 (识别置信度 ${(f.confidence * 100).toFixed(0)}%，省份易误识)`;
    return { decision: 'review', rule: 'watchlist-near-miss', reason: `${plate} 与布控车牌 ${nearWatch.plate} ${why}`, alert: true, resembles: nearWatch.plate };
  }
  if (f.confidence < MIN_CONFIDENCE) {
    return { decision: 'review', rule: 'low-confidence', reason: `识别置信度 ${(f.confidence * 100).toFixed(0)}% 低于 ${MIN_CONFIDENCE * 100}%` };
  }
  const vehicle = f.vehicles.find((v) => v.plate === plate);
  if (vehicle) {
    if (vehicle.affordable) {
      const { maxVehicleValue, flaggedClasses } = f.estateRule;
      if (vehicle.declaredValue > maxVehicleValue) {
        return { decision: 'review', rule: 'affordable-housing', reason: `保障房住户车辆申报价值 ${yuan(vehicle.declaredValue)} 超过 ${yuan(maxVehicleValue)}`, vehicle };
      }
      if (flaggedClasses.includes(vehicle.vehicleClass)) {
        return { decision: 'review', rule: 'affordable-housing', reason: `保障房住户车辆类别 "${vehicle.vehicleClass}" 需核查`, vehicle };
      }
    }
    return { decision: 'allow', rule: 'resident', reason: `住户车辆 (${vehicle.unit})`, vehicle };
  }
  const passes = f.passes.filter((p) => p.plate === plate);
  const usable = passes.find((p) => p.validFrom <= f.now && f.now < p.validTo && (p.multiEntry || p.entries === 0));
  if (usable) return { decision: 'allow', rule: 'visitor-pass', reason: `访客通行证 (有效至 ${usable.validTo.toISOString()})`, pass: usable };
  const current = passes.find((p) => p.validFrom <= f.now && f.now < p.validTo);
  if (current) return { decision: 'review', rule: 'pass-used', reason: '单次访客通行证已使用', pass: current };
  if (passes.length > 0) return { decision: 'review', rule: 'pass-expired', reason: '访客通行证不在有效期内', pass: passes[0] };
  const near = f.vehicles.find((v) => v.plate !== plate)?.plate ?? f.passes.find((p) => p.plate !== plate)?.plate;
  if (near) return { decision: 'review', rule: 'near-miss', reason: `${plate} 与登记车牌 ${near} 仅差易混字符 (0/D, 8/B, 2/Z…)，请人工核对`, resembles: near };
  return { decision: 'review', rule: 'unknown', reason: `未登记车辆 ${plate}` };
}
