// Child process for bench/camera-sim.ts: runs a camera simulator alone so its CPU can be read from /proc.
import { startCameraSim, type CameraSpec } from '../camera-sim/src/index';

const specs = JSON.parse(process.argv[2] ?? '[]') as CameraSpec[];
const sim = await startCameraSim({ cameras: specs, discovery: false });
process.stdout.write(`${JSON.stringify(sim.cameras.map((c) => ({ id: c.id, host: c.host, rtspPort: c.rtspPort, main: c.rtspMainUrl, sub: c.rtspSubUrl, username: c.username, password: c.password })))}\n`);
process.once('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
