// Incremental FLV demuxer for H.264 video: ffmpeg writes one FLV tag per encoded frame, so a
// frame is known complete the moment its tag arrives (raw Annex B would need the next start code).
import { EventEmitter } from 'node:events';
import { parseAvcConfig, splitAvcc, type AvcConfig } from './h264';

export interface FlvFrame {
  nals: Buffer[];
  keyframe: boolean;
  /** decode timestamp in ms from the FLV tag */
  dtsMs: number;
}

interface FlvDemuxerEvents {
  config: [AvcConfig];
  frame: [FlvFrame];
  error: [Error];
}

const FLV_HEADER = 9 + 4; // header + PreviousTagSize0
const TAG_HEADER = 11;
const MAX_TAG = 16 * 1024 * 1024;

export class FlvDemuxer extends EventEmitter<FlvDemuxerEvents> {
  private buf: Buffer = Buffer.alloc(0);
  private headerDone = false;
  private config?: AvcConfig;
  private failed = false;

  push(chunk: Buffer): void {
    if (this.failed) return;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    if (!this.headerDone) {
      if (this.buf.length < FLV_HEADER) return;
      if (this.buf.toString('latin1', 0, 3) !== 'FLV') return this.fail(new Error('not an FLV stream'));
      this.buf = this.buf.subarray(FLV_HEADER);
      this.headerDone = true;
    }
    while (this.buf.length >= TAG_HEADER) {
      const type = this.buf[0];
      const size = this.buf.readUIntBE(1, 3);
      if (size > MAX_TAG) return this.fail(new Error(`FLV tag of ${size} bytes`));
      const total = TAG_HEADER + size + 4;
      if (this.buf.length < total) return;
      const ts = this.buf.readUIntBE(4, 3) | (this.buf[7] << 24);
      if (type === 9) this.videoTag(this.buf.subarray(TAG_HEADER, TAG_HEADER + size), ts);
      this.buf = this.buf.subarray(total);
    }
  }

  private videoTag(data: Buffer, ts: number): void {
    if (data.length < 5 || (data[0] & 0x0f) !== 7) return; // 7 = AVC
    const keyframe = data[0] >> 4 === 1;
    const packetType = data[1];
    const payload = data.subarray(5);
    if (packetType === 0) {
      try {
        this.config = parseAvcConfig(payload);
        this.emit('config', this.config);
      } catch (err) {
        this.fail(err as Error);
      }
      return;
    }
    if (packetType !== 1 || !this.config) return;
    // Copy: the frame outlives this chunk and slices would pin the whole read buffer.
    const nals = splitAvcc(payload, this.config.lengthSize).map((n) => Buffer.from(n));
    if (nals.length) this.emit('frame', { nals, keyframe, dtsMs: ts });
  }

  private fail(err: Error): void {
    this.failed = true;
    this.emit('error', err);
  }
}
