import { createI18n } from 'vue-i18n';
import type { Locale } from '../api/types';
import { buildMessages, type MessageTree } from './messages';

export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const messages = buildMessages(
  import.meta.glob<MessageTree>('./locales/*.json', { eager: true, import: 'default' }),
  import.meta.glob<MessageTree>('../features/*/locales/*.json', { eager: true, import: 'default' }),
);

export const i18n = createI18n({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
});
