import { computed, onMounted, shallowRef } from 'vue';
import { householdsApi, type Household } from './api';

/** Households for selects and tables (an estate has hundreds, within one page of the API). */
export function useHouseholds() {
  const items = shallowRef<Household[]>([]);
  const byId = computed(() => new Map(items.value.map((h) => [h.id, h])));
  onMounted(() => void householdsApi.list({ page: 1, pageSize: 200 }).then((p) => (items.value = p.items), () => {}));
  const label = (h: Household) => `${h.unit} · ${h.headName}`;
  return { items, label, name: (id: string | null | undefined) => (id && byId.value.get(id) ? label(byId.value.get(id)!) : '—') };
}
