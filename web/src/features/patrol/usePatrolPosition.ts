import { onScopeDispose, ref, watch, type Ref } from 'vue';
import { patrolApi } from './api';
import { MAX_SILENCE_MS, shouldSend, type Fix } from './position-throttle';

export type PositionState = 'off' | 'locating' | 'located' | 'denied' | 'unavailable';

/**
 * Follows the phone's GPS while `active` (the member is on duty) and reports it to the server,
 * throttled (position-throttle.ts). A fix that could not be sent is retried with the next one.
 */
export function usePatrolPosition(active: Ref<boolean>) {
  const state = ref<PositionState>('off');
  const accuracy = ref<number | null>(null);
  const sentAt = ref<number | null>(null);
  let watchId: number | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let latest: Fix | null = null;
  let lastSent: Fix | null = null;
  let sending = false;

  async function send(fix: Fix): Promise<void> {
    if (sending) return;
    sending = true;
    try {
      await patrolApi.position({ latitude: fix.latitude, longitude: fix.longitude, accuracy: fix.accuracy });
      lastSent = fix;
      sentAt.value = fix.at;
    } catch {
      // Offline or refused: the next fix (or the heartbeat) tries again.
    } finally {
      sending = false;
    }
  }

  function onFix(p: GeolocationPosition): void {
    latest = { latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: Math.round(p.coords.accuracy), at: Date.now() };
    state.value = 'located';
    accuracy.value = latest.accuracy;
    if (shouldSend(lastSent, latest)) void send(latest);
  }

  function onError(e: GeolocationPositionError): void {
    if (e.code === e.PERMISSION_DENIED) state.value = 'denied';
    else if (e.code === e.POSITION_UNAVAILABLE) state.value = 'unavailable';
    // TIMEOUT: keep waiting for the next fix.
  }

  function start(): void {
    if (watchId !== null) return;
    if (!('geolocation' in navigator)) {
      state.value = 'unavailable';
      return;
    }
    state.value = 'locating';
    watchId = navigator.geolocation.watchPosition(onFix, onError, { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 });
    // watchPosition is silent while the phone stands still: re-send the last fix so the server
    // knows the position is still current.
    heartbeat = setInterval(() => {
      if (latest && (!lastSent || Date.now() - lastSent.at >= MAX_SILENCE_MS)) void send({ ...latest, at: Date.now() });
    }, 5000);
  }

  function stop(): void {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    if (heartbeat) clearInterval(heartbeat);
    watchId = null;
    heartbeat = null;
    latest = null;
    lastSent = null;
    state.value = 'off';
  }

  watch(active, (on) => (on ? start() : stop()), { immediate: true });
  onScopeDispose(stop);
  return { state, accuracy, sentAt };
}
