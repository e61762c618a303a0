// A typed, promise-based face over the `onvif` package (it ships no types and uses callbacks).
import onvif from 'onvif';

interface RawCam {
  hostname: string;
  port: number;
  profiles?: { name: string; $: { token: string }; videoEncoderConfiguration?: { resolution?: { width: number; height: number }; encoding?: string } }[];
  defaultProfile?: { PTZConfiguration?: unknown };
  capabilities?: { PTZ?: unknown };
  deviceInformation?: { manufacturer?: string; model?: string; firmwareVersion?: string; serialNumber?: string };
  urn?: string;
  connect(cb: (err?: Error | null) => void): void;
  getDeviceInformation(cb: (err: Error | null, info: Record<string, string>) => void): void;
  getStreamUri(o: { protocol: string; profileToken?: string }, cb: (err: Error | null, r: { uri: string }) => void): void;
  getSnapshotUri(o: { profileToken?: string }, cb: (err: Error | null, r: { uri: string }) => void): void;
  continuousMove(o: { x: number; y: number; zoom: number; profileToken?: string }, cb: (err: Error | null) => void): void;
  stop(o: { profileToken?: string; panTilt: boolean; zoom: boolean }, cb: (err: Error | null) => void): void;
  getPresets(o: { profileToken?: string }, cb: (err: Error | null, r: Record<string, string>) => void): void;
  gotoPreset(o: { preset: string; profileToken?: string }, cb: (err: Error | null) => void): void;
}

const lib = onvif as unknown as {
  Cam: new (o: Record<string, unknown>) => RawCam;
  Discovery: {
    probe(o: Record<string, unknown>, cb: (err: unknown, cams: RawCam[]) => void): void;
  };
};

export class CameraAuthError extends Error {}
export class CameraUnreachableError extends Error {}

const call = <T>(fn: (cb: (err: Error | null | undefined, r: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((err, r) => (err ? reject(err) : resolve(r))));

export interface OnvifTarget {
  onvifUrl: string;
  username: string;
  password: string;
}

export interface ProfileInfo {
  token: string;
  name: string;
  width: number | null;
  height: number | null;
  encoding: string | null;
  rtsp: string;
}

export interface ProbeResult {
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  ptz: boolean;
  snapshotUri: string | null;
  profiles: ProfileInfo[];
}

export class OnvifCamera {
  private constructor(private readonly cam: RawCam) {}

  static async connect(t: OnvifTarget, timeoutMs = 5000): Promise<OnvifCamera> {
    const url = new URL(t.onvifUrl);
    const cam = new lib.Cam({
      hostname: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      path: url.pathname,
      username: t.username,
      password: t.password,
      timeout: timeoutMs,
      autoconnect: false,
    });
    try {
      // The onvif package never calls back on some malformed answers; bound the wait ourselves.
      await Promise.race([
        call<void>((cb) => cam.connect((err) => cb(err, undefined))),
        new Promise((_, reject) => setTimeout(() => reject(new CameraUnreachableError(`no ONVIF answer within ${timeoutMs} ms`)), timeoutMs + 500).unref()),
      ]);
    } catch (err) {
      const msg = (err as Error).message ?? String(err);
      if (/NotAuthorized|not authorized|Unauthorized|401|Sender not Authorized/i.test(msg)) throw new CameraAuthError('The camera refused these credentials');
      if (err instanceof CameraUnreachableError) throw err;
      throw new CameraUnreachableError(`Camera not reachable over ONVIF: ${msg.slice(0, 200)}`);
    }
    return new OnvifCamera(cam);
  }

  async probe(): Promise<ProbeResult> {
    const info = await call<Record<string, string>>((cb) => this.cam.getDeviceInformation(cb)).catch(() => ({}) as Record<string, string>);
    const profiles: ProfileInfo[] = [];
    for (const p of this.cam.profiles ?? []) {
      const uri = await call<{ uri: string }>((cb) => this.cam.getStreamUri({ protocol: 'RTSP', profileToken: p.$.token }, cb));
      const res = p.videoEncoderConfiguration?.resolution;
      profiles.push({ token: p.$.token, name: p.name, width: res ? Number(res.width) : null, height: res ? Number(res.height) : null, encoding: p.videoEncoderConfiguration?.encoding ?? null, rtsp: uri.uri });
    }
    const snap = await call<{ uri: string }>((cb) => this.cam.getSnapshotUri({}, cb)).catch(() => null);
    return {
      manufacturer: info.manufacturer ?? null,
      model: info.model ?? null,
      firmware: info.firmwareVersion ?? null,
      serial: info.serialNumber ?? null,
      ptz: Boolean(this.cam.capabilities?.PTZ ?? this.cam.defaultProfile?.PTZConfiguration),
      snapshotUri: snap?.uri ?? null,
      profiles,
    };
  }

  move(x: number, y: number, zoom: number): Promise<void> {
    return call<void>((cb) => this.cam.continuousMove({ x, y, zoom }, (err) => cb(err, undefined)));
  }

  stop(): Promise<void> {
    return call<void>((cb) => this.cam.stop({ panTilt: true, zoom: true }, (err) => cb(err, undefined)));
  }

  async presets(): Promise<{ name: string; token: string }[]> {
    // Versions of the onvif package answer name → token or name → { $: { token } }.
    const r = await call<Record<string, string | { $?: { token?: unknown } }>>((cb) => this.cam.getPresets({}, cb as never));
    return Object.entries(r).map(([name, v]) => ({ name, token: String(typeof v === 'object' ? v.$?.token : v) }));
  }

  gotoPreset(token: string): Promise<void> {
    return call<void>((cb) => this.cam.gotoPreset({ preset: token }, (err) => cb(err, undefined)));
  }
}

export interface DiscoveredCamera {
  onvifUrl: string;
  host: string;
  port: number;
  urn: string | null;
  name: string | null;
  location: string | null;
  hardware: string | null;
}

interface ProbeMatch {
  probeMatches?: { probeMatch?: { endpointReference?: { address?: string }; XAddrs?: string; scopes?: string | { _?: string } } };
}

/** `onvif://www.onvif.org/name/东门` → { name: '东门' } (ONVIF Core, Discovery scopes). */
export function parseScopes(scopes: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of scopes.split(/\s+/)) {
    const m = /^onvif:\/\/www\.onvif\.org\/(name|location|hardware)\/(.+)$/.exec(s);
    if (m) {
      try {
        out[m[1]] = decodeURIComponent(m[2]);
      } catch {
        out[m[1]] = m[2];
      }
    }
  }
  return out;
}

/** WS-Discovery probe on 239.255.255.250:3702 (and on loopback, which a single machine needs). */
export async function discover(timeoutMs = 2000): Promise<DiscoveredCamera[]> {
  const found = new Map<string, DiscoveredCamera>();
  const probe = (opts: Record<string, unknown>) =>
    new Promise<void>((resolve) => {
      lib.Discovery.probe({ timeout: timeoutMs, resolve: false, ...opts }, (_err, matches) => {
        for (const raw of (matches ?? []) as unknown as ProbeMatch[]) {
          const m = raw.probeMatches?.probeMatch;
          const href = m?.XAddrs?.split(/\s+/)[0];
          if (!href) continue;
          let u: URL;
          try {
            u = new URL(href);
          } catch {
            continue;
          }
          const scopes = parseScopes(typeof m.scopes === 'string' ? m.scopes : (m.scopes?._ ?? ''));
          found.set(href, { onvifUrl: href, host: u.hostname, port: Number(u.port || 80), urn: m.endpointReference?.address ?? null, name: scopes.name ?? null, location: scopes.location ?? null, hardware: scopes.hardware ?? null });
        }
        resolve();
      });
    });
  // Both ways, always: on one machine the default route and loopback can each miss responders
  // (multicast routing, several simulators), and a camera missing from the list cannot be added.
  await probe({});
  await probe({ device: 'lo' });
  return [...found.values()].sort((a, b) => a.onvifUrl.localeCompare(b.onvifUrl));
}
