import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import en from 'element-plus/es/locale/lang/en.mjs';
import zhCn from 'element-plus/es/locale/lang/zh-cn.mjs';
import { LOCALES, type Locale } from '../api/types';
import { DEFAULT_LOCALE, i18n } from '../i18n';

const STORAGE_KEY = 'qly.locale';

function stored(): Locale | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return (LOCALES as readonly string[]).includes(v ?? '') ? (v as Locale) : null;
  } catch {
    return null; // Storage can be disabled (private mode, policies): fall back to defaults.
  }
}

export const useLocaleStore = defineStore('locale', () => {
  /** Set when the user picked a language on this browser; that choice wins over the account's. */
  const chosen = ref<Locale | null>(stored());
  const locale = ref<Locale>(chosen.value ?? DEFAULT_LOCALE);
  const elementLocale = computed(() => (locale.value === 'en' ? en : zhCn));

  function apply(l: Locale): void {
    locale.value = l;
    i18n.global.locale.value = l;
    document.documentElement.lang = l;
  }

  /** The user's explicit choice: applied and remembered in localStorage. */
  function choose(l: Locale): void {
    chosen.value = l;
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // Not persisted; still applied for this page.
    }
    apply(l);
  }

  /** The account's language, used only while this browser has no choice of its own. */
  function adoptAccountLocale(l: Locale): void {
    if (!chosen.value) apply(l);
  }

  apply(locale.value);
  return { locale, elementLocale, choose, adoptAccountLocale };
});
