// Minimal ISO-BMFF reading for live fMP4 from ffmpeg: split a byte stream into top-level boxes,
// and read just enough of moov/moof to time fragments and find keyframes.

export interface BoxRef {
  type: string;
  start: number;
  end: number;
  /** Offset of the payload (after size/type and a 64-bit size if present). */
  body: number;
}

export interface TopLevelBox {
  type: string;
  data: Buffer;
}

// A box larger than this on a camera pipe is corruption, not media.
const MAX_BOX_BYTES = 64 * 1024 * 1024;

/** Incremental splitter: feed arbitrary chunks, get whole top-level boxes back in order (views into the chunks, not copies). */
export class BoxSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): TopLevelBox[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const out: TopLevelBox[] = [];
    let buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    let off = 0;
    while (buf.length - off >= 8) {
      let size = buf.readUInt32BE(off);
      const type = buf.toString('latin1', off + 4, off + 8);
      if (size === 1) {
        if (buf.length - off < 16) break;
        size = Number(buf.readBigUInt64BE(off + 8));
      }
      if (size < 8 || size > MAX_BOX_BYTES || !/^[\x20-\x7e]{4}$/.test(type)) {
        throw new Error(`corrupt fMP4 stream: box '${type.replace(/[^\x20-\x7e]/g, '?')}' of ${size} bytes`);
      }
      if (buf.length - off < size) break;
      out.push({ type, data: buf.subarray(off, off + size) });
      off += size;
    }
    buf = buf.subarray(off);
    this.pending = buf.length ? [buf] : [];
    this.pendingBytes = buf.length;
    return out;
  }
}

export function childBoxes(buf: Buffer, start: number, end: number): BoxRef[] {
  const out: BoxRef[] = [];
  let off = start;
  while (off + 8 <= end) {
    let size = buf.readUInt32BE(off);
    let body = off + 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(off + 8));
      body = off + 16;
    } else if (size === 0) {
      size = end - off;
    }
    if (size < 8 || off + size > end) throw new Error(`malformed box at ${off}`);
    out.push({ type: buf.toString('latin1', off + 4, off + 8), start: off, end: off + size, body });
    off += size;
  }
  return out;
}

function find(buf: Buffer, parent: BoxRef, path: string[]): BoxRef | undefined {
  let cur: BoxRef | undefined = parent;
  for (const type of path) {
    if (!cur) return undefined;
    cur = childBoxes(buf, cur.body, cur.end).find((b) => b.type === type);
  }
  return cur;
}

function rootRef(buf: Buffer): BoxRef {
  const [root] = childBoxes(buf, 0, buf.length);
  if (!root) throw new Error('empty box');
  return root;
}

export interface TrackDefaults {
  timescale: number;
  trackId: number;
  width: number;
  height: number;
  defaultSampleDuration: number;
  defaultSampleFlags: number;
}

/** Timescale and trex defaults of the first video track (ffmpeg's ingest maps one video stream). */
export function readInitInfo(moov: Buffer): TrackDefaults {
  const root = rootRef(moov);
  if (root.type !== 'moov') throw new Error(`expected moov, got ${root.type}`);
  const traks = childBoxes(moov, root.body, root.end).filter((b) => b.type === 'trak');
  for (const trak of traks) {
    const hdlr = find(moov, trak, ['mdia', 'hdlr']);
    if (!hdlr || moov.toString('latin1', hdlr.body + 8, hdlr.body + 12) !== 'vide') continue;
    const tkhd = find(moov, trak, ['tkhd']);
    const mdhd = find(moov, trak, ['mdia', 'mdhd']);
    if (!tkhd || !mdhd) break;
    const tkhdV1 = moov[tkhd.body] === 1;
    const trackId = moov.readUInt32BE(tkhd.body + (tkhdV1 ? 20 : 12));
    const mdhdV1 = moov[mdhd.body] === 1;
    const timescale = moov.readUInt32BE(mdhd.body + (mdhdV1 ? 20 : 12));
    const mvex = find(moov, root, ['mvex']);
    const trex = mvex
      ? childBoxes(moov, mvex.body, mvex.end).find((b) => b.type === 'trex' && moov.readUInt32BE(b.body + 4) === trackId)
      : undefined;
    // tkhd width/height are 16.16 fixed point after the matrix
    const sizeAt = tkhd.body + (tkhdV1 ? 88 : 76);
    return {
      timescale,
      trackId,
      width: moov.readUInt32BE(sizeAt) >>> 16,
      height: moov.readUInt32BE(sizeAt + 4) >>> 16,
      defaultSampleDuration: trex ? moov.readUInt32BE(trex.body + 12) : 0,
      defaultSampleFlags: trex ? moov.readUInt32BE(trex.body + 20) : 0,
    };
  }
  throw new Error('no video track in moov');
}

export interface FragmentInfo {
  /** Decode time of the first sample, in track timescale units. */
  baseDecodeTime: number;
  /** Sum of sample durations, in track timescale units. */
  duration: number;
  sampleCount: number;
  /** First sample is a sync sample (keyframe). */
  independent: boolean;
}

const SAMPLE_IS_NON_SYNC = 0x10000;

export function readFragmentInfo(moof: Buffer, track: TrackDefaults): FragmentInfo {
  const root = rootRef(moof);
  if (root.type !== 'moof') throw new Error(`expected moof, got ${root.type}`);
  for (const traf of childBoxes(moof, root.body, root.end).filter((b) => b.type === 'traf')) {
    const kids = childBoxes(moof, traf.body, traf.end);
    const tfhd = kids.find((b) => b.type === 'tfhd');
    if (!tfhd || moof.readUInt32BE(tfhd.body + 4) !== track.trackId) continue;
    const tfhdFlags = moof.readUInt32BE(tfhd.body) & 0xffffff;
    let p = tfhd.body + 8;
    if (tfhdFlags & 0x01) p += 8; // base data offset
    if (tfhdFlags & 0x02) p += 4; // sample description index
    let defDuration = track.defaultSampleDuration;
    let defFlags = track.defaultSampleFlags;
    if (tfhdFlags & 0x08) {
      defDuration = moof.readUInt32BE(p);
      p += 4;
    }
    if (tfhdFlags & 0x10) p += 4; // default sample size
    if (tfhdFlags & 0x20) defFlags = moof.readUInt32BE(p);

    const tfdt = kids.find((b) => b.type === 'tfdt');
    let baseDecodeTime = 0;
    if (tfdt) {
      baseDecodeTime = moof[tfdt.body] === 1 ? Number(moof.readBigUInt64BE(tfdt.body + 4)) : moof.readUInt32BE(tfdt.body + 4);
    }

    let duration = 0;
    let sampleCount = 0;
    let firstFlags: number | undefined;
    for (const trun of kids.filter((b) => b.type === 'trun')) {
      const flags = moof.readUInt32BE(trun.body) & 0xffffff;
      const count = moof.readUInt32BE(trun.body + 4);
      let q = trun.body + 8;
      if (flags & 0x01) q += 4;
      let runFirstFlags: number | undefined;
      if (flags & 0x04) {
        runFirstFlags = moof.readUInt32BE(q);
        q += 4;
      }
      for (let i = 0; i < count; i++) {
        let d = defDuration;
        let f = i === 0 && runFirstFlags !== undefined ? runFirstFlags : defFlags;
        if (flags & 0x100) {
          d = moof.readUInt32BE(q);
          q += 4;
        }
        if (flags & 0x200) q += 4;
        if (flags & 0x400) {
          f = moof.readUInt32BE(q);
          q += 4;
        }
        if (flags & 0x800) q += 4;
        if (sampleCount === 0 && i === 0) firstFlags = f;
        duration += d;
      }
      sampleCount += count;
    }
    return { baseDecodeTime, duration, sampleCount, independent: firstFlags !== undefined && !(firstFlags & SAMPLE_IS_NON_SYNC) };
  }
  throw new Error(`moof has no traf for track ${track.trackId}`);
}
