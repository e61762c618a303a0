// Photos attached to incidents (operator snapshots, patrol scene/resolution photos). The type is
// decided by the file's first bytes, not by the name or the declared content type.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const PHOTO_KINDS = ['snapshot', 'scene', 'resolution'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];
export const DEFAULT_MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export function sniffImage(buf: Buffer): 'image/jpeg' | 'image/png' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

/** Writes the photo atomically under `<dataDir>/incidents/<incidentId>/`; returns id and relative path. */
export async function storePhoto(dataDir: string, incidentId: string, mime: 'image/jpeg' | 'image/png', data: Buffer): Promise<{ id: string; relPath: string }> {
  const id = randomUUID();
  const relPath = path.join('incidents', incidentId, `${id}.${mime === 'image/png' ? 'png' : 'jpg'}`);
  const full = path.join(dataDir, relPath);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(`${full}.part`, data);
  await rename(`${full}.part`, full);
  return { id, relPath };
}
