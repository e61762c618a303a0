import { computed, onScopeDispose, shallowRef } from 'vue';
import { live } from '../../api/live';
import { pushSafeLoad } from '../../composables/push-safe-load';
import { STALL_TOPICS, stallsApi, type StallEvent } from '../stalls/api';
import { KEEP, runningByCamera, upsertEvent } from './stall-list';

/**
 * The wall's stall events: the newest from `GET /api/stall-events`, kept current by the
 * `stall.started` / `stall.ended` / `stall.updated` pushes (the last one when someone marks a
 * false alarm). `running` is what the tiles draw: ongoing events not marked false, by camera.
 */
export function useStallEvents() {
  const events = shallowRef<StallEvent[]>([]);

  function upsert(e: StallEvent): void {
    events.value = upsertEvent(events.value, e);
  }
  const { load, push } = pushSafeLoad(
    () => stallsApi.events(KEEP),
    (page) => (events.value = page.items),
  );
  void load().catch(() => {});
  // Pushes missed while the socket was reconnecting are caught up when it is back (and, should
  // anything else slip, by the periodic reload).
  const refresh = setInterval(() => void load().catch(() => {}), 60_000);
  const offs = STALL_TOPICS.map((topic) => live.subscribe<StallEvent>(topic, (e) => push(() => upsert(e))));
  offs.push(live.onState((s) => s === 'open' && void load().catch(() => {})));
  onScopeDispose(() => {
    clearInterval(refresh);
    for (const off of offs) off();
  });

  const running = computed(() => runningByCamera(events.value));

  async function markFalseAlarm(e: StallEvent, falseAlarm: boolean): Promise<void> {
    upsert(await stallsApi.markFalseAlarm(e.id, falseAlarm));
  }

  return { events, running, markFalseAlarm };
}
