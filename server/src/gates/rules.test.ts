import { describe, expect, it } from 'vitest';
import { decide, type Facts, type Pass, type Vehicle } from './rules';

const now = new Date('2026-11-29T08:00:00Z');
const resident: Vehicle = { id: 'v1', plate: '粤BB234D', householdId: 'h1', unit: '3-2-501', affordable: true, vehicleClass: 'ordinary', declaredValue: 120000 };
const pass = (p: Partial<Pass> = {}): Pass => ({ id: 'p1', plate: '京A12345', validFrom: new Date('2026-11-29T00:00:00Z'), validTo: new Date('2026-11-30T00:00:00Z'), multiEntry: false, entries: 0, ...p });
const facts = (f: Partial<Facts>): Facts => ({ plate: '粤BB234D', confidence: 0.99, watch: [], vehicles: [], passes: [], estateRule: { maxVehicleValue: 200000, flaggedClasses: ['luxury'] }, now, ...f });

describe('gate rules', () => {
  it('allows a resident vehicle read confidently', () => {
    expect(decide(facts({ vehicles: [resident] }))).toMatchObject({ decision: 'allow', rule: 'resident', vehicle: resident });
  });

  it('a near-miss of a resident plate is never allowed, however confident', () => {
    const out = decide(facts({ plate: '粤B8234D', confidence: 1, vehicles: [resident] }));
    expect(out).toMatchObject({ decision: 'review', rule: 'near-miss', resembles: '粤BB234D' });
  });

  it('denies the watch list and alerts; a near-miss of it is reviewed with an alert', () => {
    const watch = [{ id: 'w1', plate: '粤BB234D', reason: '盗抢车辆', severity: 'high' }];
    expect(decide(facts({ watch, vehicles: [resident] }))).toMatchObject({ decision: 'deny', rule: 'watchlist', alert: true });
    expect(decide(facts({ plate: '粤B8234D', watch }))).toMatchObject({ decision: 'review', rule: 'watchlist-near-miss', alert: true });
  });

  it('an unsure reading of a watched serial from another province is reviewed with an alert; a sure one is another car', () => {
    const watch = [{ id: 'w1', plate: '渝E3154警', reason: '盗抢车辆', severity: 'high' }];
    const unsure = decide(facts({ plate: '浙E3154警', confidence: 0.37, watch }));
    expect(unsure).toMatchObject({ decision: 'review', rule: 'watchlist-near-miss', alert: true, resembles: '渝E3154警' });
    expect(unsure.reason).toContain('省份不同');
    expect(decide(facts({ plate: '浙E3154警', confidence: 0.97, watch }))).toMatchObject({ decision: 'review', rule: 'unknown' });
    expect(decide(facts({ plate: '浙E3154警', confidence: 0.97, watch })).alert).toBeUndefined();
  });

  it('the watch list wins even over a low-confidence reading', () => {
    const watch = [{ id: 'w1', plate: '粤BB234D', reason: 'x', severity: 'high' }];
    expect(decide(facts({ confidence: 0.3, watch })).rule).toBe('watchlist');
  });

  it('sends unreadable, low-confidence and unknown plates to review', () => {
    expect(decide(facts({ plate: null }))).toMatchObject({ decision: 'review', rule: 'unreadable' });
    expect(decide(facts({ confidence: 0.6, vehicles: [resident] }))).toMatchObject({ decision: 'review', rule: 'low-confidence' });
    expect(decide(facts({ plate: '川A00001' }))).toMatchObject({ decision: 'review', rule: 'unknown' });
  });

  it('flags affordable-housing households with expensive or luxury cars', () => {
    const pricey = { ...resident, declaredValue: 850000 };
    expect(decide(facts({ vehicles: [pricey] }))).toMatchObject({ decision: 'review', rule: 'affordable-housing' });
    expect(decide(facts({ vehicles: [pricey] })).reason).toContain('85.0 万元');
    expect(decide(facts({ vehicles: [{ ...resident, vehicleClass: 'luxury' }] })).rule).toBe('affordable-housing');
    // Market-rate households in the same estate are not subject to the check.
    expect(decide(facts({ vehicles: [{ ...pricey, affordable: false }] })).rule).toBe('resident');
  });

  it('honours visitor passes: window, single or multiple entry', () => {
    const plate = '京A12345';
    expect(decide(facts({ plate, passes: [pass()] }))).toMatchObject({ decision: 'allow', rule: 'visitor-pass' });
    expect(decide(facts({ plate, passes: [pass({ entries: 1 })] }))).toMatchObject({ decision: 'review', rule: 'pass-used' });
    expect(decide(facts({ plate, passes: [pass({ entries: 3, multiEntry: true })] })).rule).toBe('visitor-pass');
    expect(decide(facts({ plate, passes: [pass({ validTo: new Date('2026-11-29T07:00:00Z') })] })).rule).toBe('pass-expired');
    expect(decide(facts({ plate: '京AI2345', passes: [pass()] }))).toMatchObject({ decision: 'review', rule: 'near-miss' });
  });
});
