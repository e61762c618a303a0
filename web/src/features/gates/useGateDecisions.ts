import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { live } from '../../api/live';
import { pushSafeLoad } from '../../composables/push-safe-load';
import { decisionsApi, gatesApi, type Gate, type GateDecision } from './api';

const KEEP = 30;
const GATE_KEY = 'qly.gate';

/** The gates staff may watch, and the one picked (remembered on this device for the next visit). */
export function useGatePicker() {
  const gates = shallowRef<Gate[]>([]);
  const gateId = ref<string>(localStorage.getItem(GATE_KEY) ?? '');
  const gate = ref<Gate | null>(null);
  watch(gateId, (id) => {
    gate.value = gates.value.find((g) => g.id === id) ?? null;
    if (id) localStorage.setItem(GATE_KEY, id);
  });
  void gatesApi.list({ page: 1, pageSize: 200 }).then((page) => {
    gates.value = page.items;
    if (!page.items.some((g) => g.id === gateId.value)) gateId.value = page.items.find((g) => g.cameraId)?.id ?? page.items[0]?.id ?? '';
    gate.value = page.items.find((g) => g.id === gateId.value) ?? null;
  });
  return { gates, gateId, gate };
}

/**
 * Decisions of one gate, newest first, kept current by the live pushes: `gate.decision` adds one,
 * `gate.review` updates it (and, in the review queue, takes it off the list).
 */
export function useGateDecisions(gateId: Ref<string>, opts: { pendingOnly?: boolean } = {}) {
  const items = ref<GateDecision[]>([]);
  const loading = ref(false);
  const pending = (d: GateDecision) => d.decision === 'review' && !d.reviewedAt;

  const loader = pushSafeLoad(
    () => decisionsApi.list({ gateId: gateId.value, pageSize: KEEP, ...(opts.pendingOnly ? { pendingReview: true } : {}) }),
    (page) => (items.value = page.items),
  );

  async function load(): Promise<void> {
    if (!gateId.value) return;
    loading.value = true;
    try {
      await loader.load();
    } finally {
      loading.value = false;
    }
  }

  function apply(d: GateDecision): void {
    if (d.gateId !== gateId.value) return;
    const rest = items.value.filter((x) => x.decisionId !== d.decisionId);
    const known = rest.length !== items.value.length;
    if (opts.pendingOnly && !pending(d)) items.value = rest;
    else if (known) items.value = items.value.map((x) => (x.decisionId === d.decisionId ? d : x));
    else items.value = [d, ...rest].slice(0, KEEP);
  }

  const offs = [
    live.subscribe<GateDecision>('gate.decision', (d) => loader.push(() => apply(d))),
    live.subscribe<GateDecision>('gate.review', (d) => loader.push(() => apply(d))),
    // Pushes missed while the socket was down (a phone changing networks) come back with a reload.
    live.onState((s) => s === 'open' && void load().catch(() => {})),
  ];
  onBeforeUnmount(() => offs.forEach((off) => off()));
  watch(gateId, () => void load().catch(() => {}), { immediate: true });

  /** One tap: the server records it and pushes it to the barrier; the list updates from the push too. */
  async function review(d: GateDecision, decision: 'allow' | 'deny'): Promise<GateDecision> {
    const reviewed = await decisionsApi.review(d.decisionId, decision);
    apply(reviewed);
    return reviewed;
  }

  return { items, loading, load, review };
}
