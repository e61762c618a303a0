// One simulated camera: video sources, RTSP server, ONVIF/snapshot HTTP server, PTZ and faults.
import { createHash } from 'node:crypto';
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { CameraSpec, FaultControl, FaultState, SimCamera } from './api-types';
import type { DiscoveryTarget } from './discovery/ws-discovery';
import { loadClip } from './media/clip';
import { LiveEncoder } from './media/live-encoder';
import { LoopSource } from './media/loop-source';
import type { VideoSource } from './media/video-source';
import { scopes, SERVICE_PATHS, type MediaProfile, type OnvifDevice } from './onvif/device';
import { OnvifServer } from './onvif/onvif-server';
import { PtzState } from './ptz/ptz-state';
import type { Credentials } from './rtsp/digest';
import { RtpStream } from './rtsp/rtp-stream';
import { RtspServer } from './rtsp/server';
import { drawClock } from './scenes/clock';
import { createRenderer, defaultVariant } from './scenes/registry';
import { MAIN_SIZE, renderScene, SUB_SIZE } from './scenes/render-scene';
import { FPS, LOGICAL_HEIGHT, LOGICAL_WIDTH, type SceneRenderer, type SceneTruth } from './scenes/types';

export interface CameraOptions {
  id: string;
  index: number;
  host: string;
  onvifPort: number;
  rtspPort: number;
  credentials: Credentials;
  sessionTimeoutSec: number;
}

/** Live cameras (clock, PTZ) draw at this size; the main stream is an upscale of it. */
const LIVE_DRAW = { width: 640, height: 360 };
const LIVE_MAIN = { width: 1280, height: 720 };

interface Sources {
  main: VideoSource;
  sub: VideoSource;
  /** seconds into the scene loop shown now */
  position(): number;
  freeze(on: boolean): void;
  stop(): void;
}

export class SimulatedCamera {
  readonly variant: string;
  readonly endpoint: string;
  private readonly creds: Credentials;
  private skewMs = 0;
  private frozen = false;
  private isOffline = false;
  private readonly ptz?: PtzState;
  private renderer?: SceneRenderer;
  private truth: SceneTruth | null = null;
  private sources?: Sources;
  private rtsp?: RtspServer;
  private onvif?: OnvifServer;
  private streams: RtpStream[] = [];
  private device?: OnvifDevice;

  constructor(
    readonly spec: CameraSpec,
    private readonly opts: CameraOptions,
  ) {
    this.variant = spec.variant ?? defaultVariant(spec.scene);
    this.creds = { ...opts.credentials };
    if (spec.ptz) this.ptz = new PtzState(() => this.now());
    // Unique per device like a real camera's: the address is part of it, so two simulators on one
    // machine (parallel tests) never answer WS-Discovery with the same endpoint (clients dedup by it).
    const h = createHash('sha1').update(`${spec.name}|${opts.index}|${opts.id}|${opts.host}:${opts.onvifPort}`).digest('hex');
    this.endpoint = `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  now(): number {
    return Date.now() + this.skewMs;
  }

  async start(): Promise<void> {
    if (this.spec.scene !== 'clock') this.renderer = createRenderer(this.spec.scene, this.variant);
    this.sources = await this.openSources();
    this.truth = this.renderer?.truth() ?? (this.spec.scene === 'clock' ? { scene: 'clock', variant: 'default', encoding: 'camera-sim/README.md#clock-code' } : null);
    const main = new RtpStream('main', this.sources.main);
    const sub = new RtpStream('sub', this.sources.sub);
    this.streams = [main, sub];
    this.rtsp = new RtspServer({
      host: this.opts.host,
      port: this.opts.rtspPort,
      realm: `IP Camera(${this.opts.id})`,
      credentials: () => this.creds,
      streams: new Map([
        ['/main', main],
        ['/sub', sub],
      ]),
      sessionTimeoutSec: this.opts.sessionTimeoutSec,
      cameraNow: () => this.now(),
      serverName: 'QLY-IPC RTSP Server/1.0',
    });
    await this.rtsp.start();
    const device = this.buildDevice();
    this.device = device;
    this.onvif = new OnvifServer({ device, credentials: () => this.creds, port: this.opts.onvifPort, snapshot: (p) => this.snapshot(p) });
    await this.onvif.listen(this.opts.host);
    device.baseUrl = `http://${this.hostForUrl()}:${this.onvif.port}`;
    const rtspBase = `rtsp://${this.hostForUrl()}:${this.rtsp.port}`;
    device.profiles[0].rtspUrl = `${rtspBase}/main`;
    device.profiles[1].rtspUrl = `${rtspBase}/sub`;
    device.profiles[0].snapshotUrl = `${device.baseUrl}/snapshot.jpg`;
    device.profiles[1].snapshotUrl = `${device.baseUrl}/snapshot.jpg?profile=${device.profiles[1].token}`;
  }

  async stop(): Promise<void> {
    this.sources?.stop();
    for (const s of this.streams) s.close();
    await Promise.all([this.rtsp?.stop(), this.onvif?.close()]);
  }

  discoveryTarget(): DiscoveryTarget {
    return {
      endpoint: this.endpoint,
      scopes: this.device ? scopes(this.device) : [],
      xaddrs: this.device ? [`${this.device.baseUrl}${SERVICE_PATHS.device}`] : [],
      answering: () => !this.isOffline,
    };
  }

  readonly faults: FaultControl = {
    dropConnections: () => this.rtsp?.dropConnections(),
    freeze: (on) => {
      this.frozen = on;
      this.sources?.freeze(on);
    },
    offline: (on) => {
      this.isOffline = on;
      this.rtsp?.setOffline(on);
      this.onvif?.setOffline(on);
      this.sources?.freeze(on || this.frozen);
    },
    setCredentials: (username, password) => {
      this.creds.username = username;
      this.creds.password = password;
    },
    skewClock: (ms) => {
      this.skewMs = ms;
    },
    state: (): FaultState => ({ frozen: this.frozen, offline: this.isOffline, clockSkewMs: this.skewMs }),
  };

  toPublic(): SimCamera {
    if (!this.device || !this.rtsp || !this.onvif) throw new Error('camera not started');
    const creds = this.creds;
    return {
      id: this.opts.id,
      name: this.spec.name,
      location: this.spec.location,
      scene: this.spec.scene,
      variant: this.variant,
      ptz: !!this.spec.ptz,
      host: this.opts.host,
      onvifPort: this.onvif.port,
      onvifUrl: `${this.device.baseUrl}${SERVICE_PATHS.device}`,
      rtspPort: this.rtsp.port,
      rtspMainUrl: this.device.profiles[0].rtspUrl,
      rtspSubUrl: this.device.profiles[1].rtspUrl,
      snapshotUrl: this.device.profiles[0].snapshotUrl,
      endpoint: this.endpoint,
      // Getters: credentials follow setCredentials faults.
      get username() {
        return creds.username;
      },
      get password() {
        return creds.password;
      },
      truth: this.truth,
      faults: this.faults,
    };
  }

  private hostForUrl(): string {
    return this.opts.host === '0.0.0.0' ? '127.0.0.1' : this.opts.host;
  }

  private async openSources(): Promise<Sources> {
    const renderer = this.renderer;
    if (this.spec.scene === 'clock' || this.ptz || !renderer) return this.openLive(renderer);
    const rendered = await renderScene(this.spec.scene, this.variant);
    const [mainClip, subClip] = await Promise.all([loadClip(rendered.mainPath, MAIN_SIZE.width, MAIN_SIZE.height), loadClip(rendered.subPath, SUB_SIZE.width, SUB_SIZE.height)]);
    const main = new LoopSource(mainClip, FPS, () => this.now());
    const sub = new LoopSource(subClip, FPS, () => this.now());
    main.start();
    sub.start();
    return {
      main,
      sub,
      position: () => main.positionSec(),
      freeze: (on) => {
        main.freeze(on);
        sub.freeze(on);
      },
      stop: () => {
        main.stop();
        sub.stop();
      },
    };
  }

  private async openLive(renderer: SceneRenderer | undefined): Promise<Sources> {
    const started = Date.now();
    const position = (): number => (renderer ? ((Date.now() - started) / 1000) % renderer.durationSec : 0);
    const enc = new LiveEncoder({
      fps: FPS,
      now: () => this.now(),
      main: LIVE_MAIN,
      mainScaleFlags: this.spec.scene === 'clock' ? 'neighbor' : 'bicubic',
      draw: { ...LIVE_DRAW, fn: (ctx, w, h, nowMs) => this.drawView(ctx, w, h, nowMs, position()) },
    });
    await enc.start();
    return { main: enc.main, sub: enc.sub, position, freeze: (on) => enc.freeze(on), stop: () => enc.stop() };
  }

  /** The picture as the camera sees it: the clock, or the scene through the PTZ window. */
  private drawView(ctx: SKRSContext2D, width: number, height: number, nowMs: number, t: number): void {
    if (this.spec.scene === 'clock' || !this.renderer) {
      drawClock(ctx, width, height, nowMs, this.spec.name);
      return;
    }
    ctx.save();
    if (this.ptz) {
      const [x, y, w, h] = this.ptz.view();
      ctx.scale(width / (w * LOGICAL_WIDTH), height / (h * LOGICAL_HEIGHT));
      ctx.translate(-x * LOGICAL_WIDTH, -y * LOGICAL_HEIGHT);
    } else {
      ctx.scale(width / LOGICAL_WIDTH, height / LOGICAL_HEIGHT);
    }
    this.renderer.draw(ctx, t);
    ctx.restore();
  }

  private async snapshot(profileToken: string | undefined): Promise<Buffer> {
    const profile = this.device?.profiles.find((p) => p.token === profileToken) ?? this.device!.profiles[0];
    const canvas = createCanvas(profile.width, profile.height);
    this.drawView(canvas.getContext('2d'), profile.width, profile.height, this.now(), this.sources?.position() ?? 0);
    return canvas.encode('jpeg', 85);
  }

  private buildDevice(): OnvifDevice {
    const live = this.spec.scene === 'clock' || !!this.ptz;
    const mainSize = live ? LIVE_MAIN : MAIN_SIZE;
    const subSize = live ? LIVE_DRAW : SUB_SIZE;
    const h264Profile = live ? 'Baseline' : 'Main';
    const serial = `QLY${String(this.opts.index + 1).padStart(4, '0')}${createHash('md5').update(this.endpoint).digest('hex').slice(0, 6).toUpperCase()}`;
    const profiles: MediaProfile[] = [
      { token: 'Profile_1', name: 'mainStream', ...mainSize, bitrateKbps: live ? 1500 : 4096, h264Profile, rtspUrl: '', snapshotUrl: '' },
      { token: 'Profile_2', name: 'subStream', ...subSize, bitrateKbps: live ? 500 : 800, h264Profile, rtspUrl: '', snapshotUrl: '' },
    ];
    const model = this.ptz ? 'QLY-PTZ-D4' : this.spec.scene === 'gate' ? 'QLY-LPR-G2' : 'QLY-IPC-B2';
    return {
      name: this.spec.name,
      location: this.spec.location,
      manufacturer: 'Qianliyan',
      model,
      firmware: 'V5.7.3 build 260101',
      serial,
      hardwareId: model,
      mac: `02:51:4c:59:${((this.opts.index >> 8) & 0xff).toString(16).padStart(2, '0')}:${(this.opts.index & 0xff).toString(16).padStart(2, '0')}`,
      host: this.opts.host,
      baseUrl: '',
      sessionTimeoutSec: this.opts.sessionTimeoutSec,
      profiles,
      ptz: this.ptz,
      now: () => this.now(),
    };
  }
}
