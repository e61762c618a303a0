// A set of simulated cameras sharing one WS-Discovery responder and one fault-control API.
import type { CameraSimHandle, CameraSpec, StartOptions } from './api-types';
import { SimulatedCamera } from './camera';
import { ControlApi } from './control-api';
import { defaultCameras } from './default-cameras';
import { WsDiscovery } from './discovery/ws-discovery';
import { SCENES } from './scenes/types';

const MAX_CAMERAS = 64;

export async function startCameraSim(options: StartOptions = {}): Promise<CameraSimHandle> {
  const specs = Array.isArray(options.cameras) ? options.cameras : defaultCameras(options.cameras ?? 1);
  validate(specs);
  const host = options.host ?? '127.0.0.1';
  const basePort = options.basePort ?? 0;
  if (!Number.isInteger(basePort) || basePort < 0 || (basePort > 0 && (basePort < 2 || basePort + 2 * specs.length > 65535))) throw new Error(`bad basePort ${basePort}`);
  const credentials = { username: options.username ?? 'admin', password: options.password ?? 'qly12345' };
  const cameras = specs.map(
    (spec, i) =>
      new SimulatedCamera(spec, {
        id: `cam-${String(i + 1).padStart(2, '0')}`,
        index: i,
        host,
        onvifPort: basePort ? basePort + 2 * i : 0,
        rtspPort: basePort ? basePort + 2 * i + 1 : 0,
        credentials,
        sessionTimeoutSec: options.rtspSessionTimeoutSec ?? 60,
      }),
  );
  let discovery: WsDiscovery | undefined;
  let control: ControlApi | undefined;
  const stopAll = async (): Promise<void> => {
    await discovery?.stop();
    await control?.close();
    await Promise.all(cameras.map((c) => c.stop()));
  };
  try {
    // Start in sequence: the first camera of a scene renders its loop, the others reuse it.
    for (const c of cameras) await c.start();
    const pub = cameras.map((c) => c.toPublic());
    control = new ControlApi(() => pub, options.controlPort ?? (basePort ? basePort - 1 : 0));
    await control.listen(host);
    if (options.discovery ?? true) {
      discovery = new WsDiscovery(host, () => cameras.map((c) => c.discoveryTarget()));
      await discovery.start();
    }
    const controlUrl = control.url;
    let stopped: Promise<void> | undefined;
    return { cameras: pub, controlUrl, stop: () => (stopped ??= stopAll()) };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}

function validate(specs: CameraSpec[]): void {
  if (specs.length < 1 || specs.length > MAX_CAMERAS) throw new Error(`between 1 and ${MAX_CAMERAS} cameras, not ${specs.length}`);
  for (const s of specs) {
    if (!s || typeof s.name !== 'string' || !s.name || typeof s.location !== 'string') throw new Error('every camera needs a name and a location');
    if (!SCENES.includes(s.scene)) throw new Error(`unknown scene "${String(s.scene)}" (have: ${SCENES.join(', ')})`);
  }
}
