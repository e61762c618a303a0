// Phone cameras take 12–50 MP photos of 3–15 MB; the server takes at most 5 MiB, and a patrol on
// mobile data should not wait for megapixels nobody needs. Photos larger than this are re-encoded
// in the browser to at most 2048 px on the long side (JPEG, quality 0.85: ~0.3–1 MB).
export const MAX_SIDE_PX = 2048;
export const SEND_AS_IS_BYTES = 1_500_000;

/** The longest side scaled to `max`, the aspect kept; sizes already within it are returned as they are. */
export function fitWithin(width: number, height: number, max = MAX_SIDE_PX): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A JPEG small enough to upload; the original when it already is, or when the browser cannot decode it (the server then decides). */
export async function shrinkPhoto(file: File): Promise<Blob> {
  if (file.size <= SEND_AS_IS_BYTES || typeof createImageBitmap === 'undefined') return file;
  let bitmap: ImageBitmap;
  try {
    // `from-image` applies the EXIF orientation, so portrait photos stay upright.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  const { width, height } = fitWithin(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  return blob && blob.size < file.size ? new File([blob], file.name.replace(/\.\w+$/, '') + '.jpg', { type: 'image/jpeg' }) : file;
}
