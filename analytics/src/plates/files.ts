// Expands command-line arguments (files and folders) into image files, in a stable order.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const IMAGE_EXT = /\.(jpe?g|png)$/i;

export function imageFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const st = statSync(arg, { throwIfNoEntry: false });
    if (!st) out.push(arg); // reported as an error line by the caller
    else if (st.isDirectory()) {
      for (const name of readdirSync(arg).sort()) {
        const full = path.join(arg, name);
        if (IMAGE_EXT.test(name) && statSync(full).isFile()) out.push(full);
      }
    } else out.push(arg);
  }
  return out;
}
