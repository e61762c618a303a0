import { onScopeDispose, ref } from 'vue';
import { live } from '../../api/live';
import { pushSafeLoad } from '../../composables/push-safe-load';
import { incidentsApi, type Incident, type IncidentPush, type ListFilters } from './api';

const TOPICS = ['incident.created', 'incident.dispatched', 'incident.updated', 'incident.escalated'] as const;

/**
 * A list of incidents kept current by live pushes. Pushes are merged by id; after the socket
 * reconnects the list is reloaded, since pushes sent while it was down are gone.
 */
export function useIncidentFeed(filters: () => ListFilters, onPush?: (topic: string, push: IncidentPush) => void) {
  const items = ref<Incident[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const loader = pushSafeLoad(
    () => incidentsApi.list(filters()),
    (page) => {
      items.value = page.items;
      total.value = page.total;
    },
  );
  let seq = 0;

  async function load(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      await loader.load();
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function upsert(incident: Incident): void {
    const i = items.value.findIndex((x) => x.id === incident.id);
    if (i >= 0) items.value.splice(i, 1, incident);
    else {
      items.value.unshift(incident);
      total.value += 1;
    }
  }

  const offs = TOPICS.map((topic) =>
    live.subscribe<IncidentPush>(topic, (push) => {
      loader.push(() => upsert(push.incident));
      onPush?.(topic, push);
    }),
  );
  offs.push(
    live.subscribe<{ incidentId: string }>('incident.withdrawn', ({ incidentId }) => {
      loader.push(() => (items.value = items.value.filter((x) => x.id !== incidentId)));
    }),
  );
  let wasOpen = live.state === 'open';
  offs.push(
    live.onState((s) => {
      if (s === 'open' && !wasOpen) void load();
      wasOpen = s === 'open';
    }),
  );
  onScopeDispose(() => offs.forEach((off) => off()));

  return { items, total, loading, load, upsert };
}
