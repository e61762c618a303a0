import { computed, onMounted, shallowRef } from 'vue';
import type { Resource } from '../../api/resource';

// The server's largest page; registries of sites and teams stay far below it in a district.
const MAX_PAGE = 200;

/** id → name of a small registry (sites, teams), for selects and for showing names in tables. */
export function useLookup<T extends { id: string; name: string }>(api: Pick<Resource<T, never, never>, 'list'>) {
  const items = shallowRef<T[]>([]);
  const byId = computed(() => new Map(items.value.map((i) => [i.id, i.name])));

  async function reload(): Promise<void> {
    items.value = (await api.list({ page: 1, pageSize: MAX_PAGE })).items;
  }
  onMounted(() => void reload().catch(() => {}));

  return { items, name: (id: string | null | undefined) => (id ? (byId.value.get(id) ?? '—') : '—'), reload };
}
