// H.264 helpers for what RTSP needs to say about a stream: NAL types, SDP parameters.

export const NAL_IDR = 5;
export const NAL_SEI = 6;
export const NAL_SPS = 7;
export const NAL_PPS = 8;
export const NAL_AUD = 9;

export function nalType(nal: Buffer): number {
  return nal[0] & 0x1f;
}

/** profile_idc, constraint flags and level_idc as the six hex digits SDP wants (RFC 6184 §8.1). */
export function profileLevelId(sps: Buffer): string {
  if (sps.length < 4 || nalType(sps) !== NAL_SPS) throw new Error('not an SPS NAL unit');
  return sps.subarray(1, 4).toString('hex');
}

/** Splits length-prefixed (AVCC) NAL units, as found in FLV and MP4 samples. */
export function splitAvcc(data: Buffer, lengthSize = 4): Buffer[] {
  const nals: Buffer[] = [];
  let off = 0;
  while (off + lengthSize <= data.length) {
    const len = data.readUIntBE(off, lengthSize);
    off += lengthSize;
    if (len === 0 || off + len > data.length) break;
    nals.push(data.subarray(off, off + len));
    off += len;
  }
  return nals;
}

export interface AvcConfig {
  sps: Buffer;
  pps: Buffer;
  lengthSize: number;
}

/** Reads an AVCDecoderConfigurationRecord (ISO 14496-15 §5.2.4.1). */
export function parseAvcConfig(rec: Buffer): AvcConfig {
  if (rec.length < 7 || rec[0] !== 1) throw new Error('bad AVCDecoderConfigurationRecord');
  const lengthSize = (rec[4] & 0x03) + 1;
  let off = 5;
  const numSps = rec[off++] & 0x1f;
  let sps: Buffer | undefined;
  for (let i = 0; i < numSps; i++) {
    const len = rec.readUInt16BE(off);
    off += 2;
    sps ??= rec.subarray(off, off + len);
    off += len;
  }
  const numPps = rec[off++];
  let pps: Buffer | undefined;
  for (let i = 0; i < numPps; i++) {
    const len = rec.readUInt16BE(off);
    off += 2;
    pps ??= rec.subarray(off, off + len);
    off += len;
  }
  if (!sps || !pps) throw new Error('AVCDecoderConfigurationRecord without SPS/PPS');
  return { sps: Buffer.from(sps), pps: Buffer.from(pps), lengthSize };
}
