// npm run camera-sim -- --cameras 8 [--host H] [--base-port P] [--user U --password P] [--no-discovery]
// npm run camera-sim -- render <scene> [--variant NAME] [--out DIR]
import { parseArgs } from 'node:util';
import { renderScene, startCameraSim } from './index';
import { SCENES, type SceneName } from './scenes/types';

const USAGE = `usage:
  camera-sim [--cameras N] [--host 127.0.0.1] [--base-port 18000] [--user admin] [--password qly12345] [--no-discovery]
  camera-sim render <${SCENES.filter((s) => s !== 'clock').join('|')}> [--variant NAME] [--out DIR]`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cameras: { type: 'string', default: '8' },
      host: { type: 'string', default: '127.0.0.1' },
      'base-port': { type: 'string', default: '18000' },
      user: { type: 'string', default: 'admin' },
      password: { type: 'string', default: 'qly12345' },
      'no-discovery': { type: 'boolean', default: false },
      variant: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (positionals[0] === 'render') {
    const scene = positionals[1] as SceneName;
    if (!SCENES.includes(scene) || scene === 'clock') throw new Error(`render needs a scene: ${SCENES.filter((s) => s !== 'clock').join(', ')}\n${USAGE}`);
    const t0 = Date.now();
    const r = await renderScene(scene, values.variant, values.out);
    console.log(r.mainPath);
    console.log(r.subPath);
    console.log(r.truthPath);
    console.error(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return;
  }
  if (positionals.length) throw new Error(`unknown command ${positionals[0]}\n${USAGE}`);
  const cameras = Number(values.cameras);
  const basePort = Number(values['base-port']);
  if (!Number.isInteger(cameras) || cameras < 1) throw new Error(`--cameras must be a positive integer\n${USAGE}`);
  if (!Number.isInteger(basePort) || basePort < 0) throw new Error(`--base-port must be a port number\n${USAGE}`);
  console.log(`starting ${cameras} cameras (the first run renders the scene loops into ~/.cache/qianliyan/scenes, minutes)…`);
  const sim = await startCameraSim({ cameras, host: values.host, basePort, username: values.user, password: values.password, discovery: !values['no-discovery'] });
  for (const c of sim.cameras) {
    console.log(`\n${c.id}  ${c.name}  [${c.scene}${c.variant !== 'default' ? `/${c.variant}` : ''}${c.ptz ? ', PTZ' : ''}]  ${c.location}`);
    console.log(`  ONVIF     ${c.onvifUrl}`);
    console.log(`  RTSP main ${c.rtspMainUrl}`);
    console.log(`  RTSP sub  ${c.rtspSubUrl}`);
    console.log(`  snapshot  ${c.snapshotUrl}`);
    console.log(`  login     ${c.username} / ${c.password}`);
  }
  console.log(`\nfault control: ${sim.controlUrl}/cameras   (Ctrl-C stops)`);
  const stop = (): void => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
