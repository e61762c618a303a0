// `npm run plates -- <image files or folders> [--crop] [--province 皖]`: one JSON line per image,
// { file, plates: [{ text, type, confidence, box }], ms } — or { file, error, message }.
// --province: the cameras' local province (the reader leans towards it when the glyph is unclear).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { imageFiles } from './files';
import { PROVINCES } from './grammar';
import { PlateImageError } from './image';
import { PlateReader, type PlateReading } from './reader';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { crop: { type: 'boolean', default: false }, province: { type: 'string' } } });
const localProvince = values.province;
if (positionals.length === 0 || (localProvince !== undefined && (localProvince.length !== 1 || !PROVINCES.includes(localProvince)))) {
  console.error(`usage: npm run plates -- <image files or folders> [--crop] [--province <one of ${PROVINCES}>]`);
  process.exit(2);
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const summary = (r: PlateReading) => ({
  text: r.text,
  type: r.type,
  kind: r.kind,
  confidence: round(r.confidence),
  confident: r.confident,
  box: r.box.map((p) => [Math.round(p.x), Math.round(p.y)]),
});

const reader = await PlateReader.create();
let failures = 0;
for (const file of imageFiles(positionals)) {
  const started = performance.now();
  try {
    const bytes = readFileSync(file);
    const plates = values.crop ? [await reader.readCrop(bytes, { localProvince })] : await reader.readFrame(bytes, { localProvince });
    console.log(JSON.stringify({ file, plates: plates.map(summary), ms: round(performance.now() - started) }));
  } catch (err) {
    failures++;
    const code = err instanceof PlateImageError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'error');
    console.log(JSON.stringify({ file, error: code, message: (err as Error).message }));
  }
}
reader.dispose();
process.exitCode = failures > 0 ? 1 : 0;
