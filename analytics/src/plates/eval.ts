// `npm run eval:plates [-- --crops N --scenes N --model DIR]`: the accuracy and speed table for the
// README; --model measures a candidate (a training run's --out) instead of the committed model.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { evalGateScene, evalLprnetCrops, evalRealCrops, evalRealScenes, evalSyntheticCrops, evalSyntheticScenes, msPerPlateBatched, type Accuracy } from './evaluate';
import { PlateReader } from './reader';

const { values } = parseArgs({ options: { crops: { type: 'string', default: '500' }, scenes: { type: 'string', default: '100' }, model: { type: 'string' } } });

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);

const reader = await PlateReader.create({ modelDir: values.model });
const rows: Accuracy[] = [];
rows.push(await evalSyntheticCrops(reader, Number(values.crops)));
rows.push(await evalSyntheticScenes(reader, Number(values.scenes)));
rows.push(await evalRealCrops(reader));
rows.push(await evalLprnetCrops(reader, 'test'));
rows.push(await evalLprnetCrops(reader, 'test', { localProvince: '皖' }));
rows.push(await evalLprnetCrops(reader, 'test', { notOf: '皖' }));
rows.push(await evalLprnetCrops(reader, 'test', { notOf: '皖', localProvince: '皖' }));
rows.push(await evalLprnetCrops(reader, 'dev'));
const real = await evalRealScenes(reader);
rows.push(real);
rows.push(await evalGateScene(reader));
const batched = await msPerPlateBatched(reader);
reader.dispose();

console.log(`plates evaluation — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, tfjs wasm (1 thread)`);
console.log('| set | n | exact | characters | confident / of those wrong | detection recall | ms (median) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const conf = r.confident === undefined ? '—' : `${pct(r.confident)} / ${pct(r.confidentWrong)}`;
  console.log(`| ${r.set} | ${r.n} | ${pct(r.exact)} | ${pct(r.chars)} | ${conf} | ${pct(r.recall)} | ${r.msMedian.toFixed(1)} |`);
}
console.log(`recognition alone, batch of 16: ${batched.toFixed(2)} ms per plate`);
for (const m of real.misses) console.log(`real miss: ${m.file} truth ${m.truth.join(',')} read ${m.got.join(',') || '(nothing)'}`);
