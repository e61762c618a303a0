import { onBeforeUnmount, ref, type Ref } from 'vue';

/** A phone held upright: the gate desk takes the phone shell and thumb-sized buttons there. */
const PHONE_QUERY = '(max-width: 600px)';

/** False where there is no window (the route table is also read by unit tests in Node). */
export const isPhone = (): boolean => globalThis.matchMedia?.(PHONE_QUERY).matches ?? false;

/** `isPhone()` as a ref that follows the window (a rotated phone, a narrowed browser window). */
export function usePhone(): Ref<boolean> {
  const query = window.matchMedia(PHONE_QUERY);
  const phone = ref(query.matches);
  const update = (e: MediaQueryListEvent) => (phone.value = e.matches);
  query.addEventListener('change', update);
  onBeforeUnmount(() => query.removeEventListener('change', update));
  return phone;
}
