// What the SOAP services need to know about the camera they speak for.
import type { PtzState } from '../ptz/ptz-state';

export interface MediaProfile {
  token: string;
  name: string;
  width: number;
  height: number;
  bitrateKbps: number;
  h264Profile: 'Baseline' | 'Main';
  rtspUrl: string;
  snapshotUrl: string;
}

export interface OnvifDevice {
  name: string;
  location: string;
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  hardwareId: string;
  mac: string;
  host: string;
  /** http://host:port without a trailing slash */
  baseUrl: string;
  sessionTimeoutSec: number;
  profiles: MediaProfile[];
  ptz?: PtzState;
  /** camera clock, including any injected skew */
  now(): number;
}

export const SERVICE_PATHS = {
  device: '/onvif/device_service',
  media: '/onvif/media_service',
  ptz: '/onvif/ptz_service',
} as const;

export const VIDEO_SOURCE_TOKEN = 'VideoSource_1';
export const PTZ_NODE_TOKEN = 'PTZNode_1';
export const PTZ_CONFIG_TOKEN = 'PTZConfiguration_1';

export function scopes(dev: OnvifDevice): string[] {
  const enc = encodeURIComponent;
  return [
    'onvif://www.onvif.org/type/video_encoder',
    ...(dev.ptz ? ['onvif://www.onvif.org/type/ptz'] : []),
    'onvif://www.onvif.org/Profile/Streaming',
    `onvif://www.onvif.org/name/${enc(dev.name)}`,
    `onvif://www.onvif.org/location/${enc(dev.location)}`,
    `onvif://www.onvif.org/hardware/${enc(dev.model)}`,
  ];
}
