import { ElMessage } from 'element-plus';
// Components bring their own CSS (vite.config.ts); services called from code need theirs here.
import 'element-plus/es/components/loading/style/css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import 'element-plus/es/components/notification/style/css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { describeError } from './api/describe-error';
import { http } from './api/http';
import { i18n } from './i18n';
import { createAppRouter } from './router';
import { useSessionStore } from './stores/session';
import './styles.css';

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
const router = createAppRouter();
app.use(router);

http.setHooks({
  notify: (error) => {
    ElMessage.error({ message: describeError(error, i18n.global), grouping: true });
  },
  unauthorized: () => {
    useSessionStore().expired();
    const current = router.currentRoute.value;
    if (current.name !== 'login') {
      ElMessage.warning({ message: i18n.global.t('errors.session_expired'), grouping: true });
      void router.replace({ name: 'login', query: { redirect: current.fullPath } });
    }
  },
});

app.mount('#app');

// Installed on a phone, the app opens from its cached shell even on a dead network (web/public/sw.js).
// Dev builds skip it so Vite's hot reload is never served from a cache.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch((err: unknown) => console.warn('service worker not registered', err));
}
