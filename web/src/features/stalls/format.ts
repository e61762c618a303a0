/** "3分12秒" / "3m 12s"; hours once it is an hour long (stalls can stand all afternoon). */
export function formatDuration(ms: number, locale: string): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const zh = locale.startsWith('zh');
  if (h > 0) return zh ? `${h}小时${m}分` : `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return zh ? `${m}分${sec}秒` : `${m}m ${String(sec).padStart(2, '0')}s`;
  return zh ? `${sec}秒` : `${sec}s`;
}
