import { onScopeDispose, ref } from 'vue';

/** A ref with Date.now(), ticking every second, for countdowns. */
export function useNow(everyMs = 1000) {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), everyMs);
  onScopeDispose(() => clearInterval(timer));
  return now;
}
