import { onScopeDispose, ref } from 'vue';
import { live } from '../api/live';
import type { LiveState } from '../api/live-socket';

/** The live connection's state as a ref, for status badges. */
export function useLiveState() {
  const state = ref<LiveState>(live.state);
  onScopeDispose(live.onState((s) => (state.value = s)));
  return state;
}
