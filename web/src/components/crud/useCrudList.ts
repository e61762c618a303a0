import { ElMessage, ElMessageBox } from 'element-plus';
import { reactive, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Query } from '../../api/http';
import type { Resource } from '../../api/resource';

export interface CrudList<T, F extends Query> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  filters: F;
  loading: boolean;
  load(): Promise<void>;
  goTo(page: number, pageSize?: number): void;
  /** Filters changed: back to page 1. */
  search(): Promise<void>;
  /** Asks for confirmation, deletes, reloads. */
  remove(row: T): Promise<void>;
}

/**
 * State of one paged, filtered list backed by a REST resource. Text filters reload after a pause
 * in typing; a response that arrives after a newer request started is dropped.
 */
export function useCrudList<T extends { id: string }, F extends Query>(
  api: Pick<Resource<T, never, never>, 'list' | 'remove'>,
  initialFilters: F,
  label: (row: T) => string,
): CrudList<T, F> {
  const { t } = useI18n();
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(20);
  const filters = reactive({ ...initialFilters }) as F;
  const loading = ref(false);
  let generation = 0;

  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    try {
      const res = await api.list({ ...filters, page: page.value, pageSize: pageSize.value });
      if (mine !== generation) return;
      items.value = res.items;
      total.value = res.total;
      // Rows deleted elsewhere can leave us past the last page.
      const last = Math.max(1, Math.ceil(res.total / pageSize.value));
      if (res.items.length === 0 && page.value > last) {
        page.value = last;
        await load();
      }
    } catch {
      if (mine === generation) items.value = []; // The client already told the user why.
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function goTo(p: number, size = pageSize.value): void {
    page.value = p;
    pageSize.value = size;
  }

  async function search(): Promise<void> {
    page.value = 1;
    await load();
  }

  async function remove(row: T): Promise<void> {
    const confirmed = await ElMessageBox.confirm(t('common.deleteConfirm', { name: label(row) }), t('common.deleteTitle'), {
      type: 'warning',
      confirmButtonText: t('common.delete'),
      cancelButtonText: t('common.cancel'),
      confirmButtonClass: 'el-button--danger',
    }).then(
      () => true,
      () => false,
    );
    if (!confirmed) return;
    try {
      await api.remove(row.id);
    } catch {
      return;
    }
    ElMessage.success(t('common.deleted'));
    await load();
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(
    () => ({ ...filters }),
    () => {
      clearTimeout(timer);
      timer = setTimeout(() => void search(), 300);
    },
  );
  watch([page, pageSize], () => void load());

  // reactive() unwraps the refs, so pages read and write `list.page` like plain properties.
  return reactive({ items, total, page, pageSize, filters, loading, load, goTo, search, remove }) as unknown as CrudList<T, F>;
}
