// The cameras `--cameras N` starts: a district's mix of metro exits, estate gates, a classroom and a clock.
import type { CameraSpec } from './api-types';

const DEFAULTS: CameraSpec[] = [
  { name: '望京地铁B口-东', location: '朝阳区望京街道 地铁14号线望京站B口', scene: 'street', variant: 'day' },
  { name: '幸福家园北门道闸', location: '朝阳区望京街道 幸福家园保障房小区北门', scene: 'gate' },
  { name: '四点钟学校 二年级教室', location: '朝阳区望京街道 社区服务中心2层', scene: 'classroom' },
  { name: '时钟校准相机', location: '监控中心机房', scene: 'clock' },
  { name: '望京地铁B口-西', location: '朝阳区望京街道 地铁14号线望京站B口', scene: 'street', variant: 'dusk' },
  { name: '阜通地铁A口广场', location: '朝阳区望京街道 地铁14号线阜通站A口', scene: 'street', variant: 'crowd' },
  { name: '幸福家园南门道闸', location: '朝阳区望京街道 幸福家园保障房小区南门', scene: 'gate' },
  { name: '望京地铁B口-球机', location: '朝阳区望京街道 地铁14号线望京站B口', scene: 'street', variant: 'day', ptz: true },
];

export function defaultCameras(n: number): CameraSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const base = DEFAULTS[i % DEFAULTS.length];
    return i < DEFAULTS.length ? { ...base } : { ...base, name: `${base.name} #${Math.floor(i / DEFAULTS.length) + 1}` };
  });
}
