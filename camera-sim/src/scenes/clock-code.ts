// Machine-readable timestamp drawn into every frame of the `clock` scene, so a viewer can measure
// glass-to-glass latency by decoding a frame and comparing with its own clock.
//
// Layout (exact, see camera-sim/README.md): the frame is 64 blocks wide, block size B = width / 64.
// Block rows 1 and 2 (y in [B, 3B)) carry the code, columns left to right:
//   0–1 grey quiet zone, 2 white start, 3 black start,
//   4–51 the 48-bit timestamp in ms since the Unix epoch, most significant bit first (white = 1),
//   52–59 CRC-8 (polynomial 0x07, init 0) over the timestamp's 6 bytes, big-endian, MSB first,
//   60 white end marker, 61–63 grey quiet zone.
// The decoder reads the mean luma of the middle half of each block and thresholds it halfway
// between the two start markers, so it survives H.264 compression and scaling.

export const CODE_COLUMNS = 64;
const DATA_BITS = 48;
const CRC_BITS = 8;
const FIRST_DATA = 4;
const FIRST_CRC = FIRST_DATA + DATA_BITS;
const END_MARKER = FIRST_CRC + CRC_BITS;

export function crc8(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

function timestampBytes(ms: number): Uint8Array {
  const out = new Uint8Array(6);
  let v = BigInt(Math.floor(ms));
  for (let i = 5; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Colours of the 64 code blocks for a timestamp: 'w', 'k' (black) or 'g' (grey). */
export function clockCodeBlocks(ms: number): string[] {
  const bytes = timestampBytes(ms);
  const crc = crc8(bytes);
  const blocks: string[] = new Array(CODE_COLUMNS).fill('g');
  blocks[2] = 'w';
  blocks[3] = 'k';
  for (let i = 0; i < DATA_BITS; i++) blocks[FIRST_DATA + i] = (bytes[i >> 3] >> (7 - (i & 7))) & 1 ? 'w' : 'k';
  for (let i = 0; i < CRC_BITS; i++) blocks[FIRST_CRC + i] = (crc >> (7 - i)) & 1 ? 'w' : 'k';
  blocks[END_MARKER] = 'w';
  return blocks;
}

/** Decodes the timestamp (ms since epoch) from an RGBA frame, or null when there is no valid code. */
export function decodeClockFrame(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): number | null {
  if (width < CODE_COLUMNS * 4 || height < (3 * width) / CODE_COLUMNS || rgba.length < width * height * 4) return null;
  const b = width / CODE_COLUMNS;
  const luma = (col: number): number => {
    const x0 = Math.floor(col * b + b / 4);
    const x1 = Math.max(x0 + 1, Math.floor(col * b + (3 * b) / 4));
    const y0 = Math.floor(b + b / 2);
    const y1 = Math.max(y0 + 1, Math.floor(2 * b + b / 2));
    let sum = 0;
    let n = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * width + x) * 4;
        sum += 0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2];
        n++;
      }
    }
    return sum / n;
  };
  const white = luma(2);
  const black = luma(3);
  if (white - black < 60) return null;
  const threshold = (white + black) / 2;
  const bit = (col: number): number => (luma(col) > threshold ? 1 : 0);
  if (!bit(END_MARKER)) return null;
  const bytes = new Uint8Array(6);
  for (let i = 0; i < DATA_BITS; i++) bytes[i >> 3] |= bit(FIRST_DATA + i) << (7 - (i & 7));
  let crc = 0;
  for (let i = 0; i < CRC_BITS; i++) crc |= bit(FIRST_CRC + i) << (7 - i);
  if (crc !== crc8(bytes)) return null;
  let ms = 0;
  for (const byte of bytes) ms = ms * 256 + byte;
  return ms;
}
