// The public shapes of the simulator (other parts code against these; keep them stable).
import type { SceneName, SceneTruth } from './scenes/types';

export interface CameraSpec {
  name: string;
  location: string;
  scene: SceneName;
  variant?: string;
  ptz?: boolean;
}

export interface StartOptions {
  cameras?: number | CameraSpec[];
  host?: string;
  /** camera i gets ONVIF/HTTP on basePort + 2i and RTSP on basePort + 2i + 1; 0 (default) = free ports */
  basePort?: number;
  username?: string;
  password?: string;
  /** answer WS-Discovery on 239.255.255.250:3702 (default true) */
  discovery?: boolean;
  /** port of the fault-control HTTP API; default basePort - 1, or a free port when basePort is 0 */
  controlPort?: number;
  /** RTSP session timeout in seconds (default 60) */
  rtspSessionTimeoutSec?: number;
}

export interface FaultState {
  frozen: boolean;
  offline: boolean;
  clockSkewMs: number;
}

export interface FaultControl {
  /** close every RTSP connection and session now */
  dropConnections(): void;
  /** stop sending video (sockets stay open) */
  freeze(on: boolean): void;
  /** stop answering anything: RTSP, ONVIF, snapshots, discovery */
  offline(on: boolean): void;
  setCredentials(username: string, password: string): void;
  /** move the camera clock by ms (ONVIF time, WS-Security window, RTCP, clock scene) */
  skewClock(ms: number): void;
  state(): FaultState;
}

export interface SimCamera {
  id: string;
  name: string;
  location: string;
  scene: SceneName;
  variant: string;
  ptz: boolean;
  host: string;
  onvifPort: number;
  /** http://host:port/onvif/device_service */
  onvifUrl: string;
  rtspPort: number;
  /** without credentials */
  rtspMainUrl: string;
  rtspSubUrl: string;
  /** HTTP JPEG of the current picture (Digest or Basic auth); ?profile=sub for the small one */
  snapshotUrl: string;
  /** WS-Discovery endpoint reference (urn:uuid:…) */
  endpoint: string;
  username: string;
  password: string;
  truth: SceneTruth | null;
  faults: FaultControl;
}

export interface CameraSimHandle {
  cameras: SimCamera[];
  /** base URL of the fault-control HTTP API */
  controlUrl: string;
  stop(): Promise<void>;
}
