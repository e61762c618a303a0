import { describe, expect, it } from 'vitest';
import { FlvDemuxer, type FlvFrame } from './flv-demuxer';
import type { AvcConfig } from './h264';

function tag(type: number, ts: number, data: Buffer): Buffer {
  const h = Buffer.alloc(11);
  h[0] = type;
  h.writeUIntBE(data.length, 1, 3);
  h.writeUIntBE(ts & 0xffffff, 4, 3);
  h[7] = ts >>> 24;
  const prev = Buffer.alloc(4);
  prev.writeUInt32BE(11 + data.length);
  return Buffer.concat([h, data, prev]);
}

const sps = Buffer.from([0x67, 0x4d, 0x40, 0x1f, 0xaa]);
const pps = Buffer.from([0x68, 0xee, 0x3c]);
const config = Buffer.concat([Buffer.from([1, 0x4d, 0x40, 0x1f, 0xff, 0xe1, 0, sps.length]), sps, Buffer.from([1, 0, pps.length]), pps]);
const avc = (key: boolean, packetType: number, payload: Buffer): Buffer => Buffer.concat([Buffer.from([(key ? 0x10 : 0x20) | 7, packetType, 0, 0, 0]), payload]);
const avcc = (...nals: Buffer[]): Buffer => Buffer.concat(nals.flatMap((n) => [Buffer.from([0, 0, 0, n.length]), n]));

const header = Buffer.from([0x46, 0x4c, 0x56, 1, 1, 0, 0, 0, 9, 0, 0, 0, 0]);

describe('FlvDemuxer', () => {
  it('emits the AVC config and whole frames, however the bytes are chunked', () => {
    const stream = Buffer.concat([
      header,
      tag(18, 0, Buffer.from('metadata')),
      tag(9, 0, avc(true, 0, config)),
      tag(9, 0, avc(true, 1, avcc(Buffer.from([0x65, 1, 2]), Buffer.from([0x06, 9])))),
      tag(8, 10, Buffer.from([0xaf, 1, 2])),
      tag(9, 40, avc(false, 1, avcc(Buffer.from([0x41, 3])))),
    ]);
    for (const step of [1, 7, stream.length]) {
      const d = new FlvDemuxer();
      const cfgs: AvcConfig[] = [];
      const frames: FlvFrame[] = [];
      d.on('config', (c) => cfgs.push(c));
      d.on('frame', (f) => frames.push(f));
      for (let i = 0; i < stream.length; i += step) d.push(stream.subarray(i, i + step));
      expect(cfgs).toHaveLength(1);
      expect(cfgs[0].sps.equals(sps) && cfgs[0].pps.equals(pps)).toBe(true);
      expect(frames.map((f) => [f.keyframe, f.dtsMs, f.nals.length])).toEqual([
        [true, 0, 2],
        [false, 40, 1],
      ]);
    }
  });

  it('reports a stream that is not FLV, or a broken config, once', () => {
    const errors: Error[] = [];
    const d = new FlvDemuxer();
    d.on('error', (e) => errors.push(e));
    d.push(Buffer.from('RIFF....WAVEfmt '));
    d.push(Buffer.from('more'));
    expect(errors).toHaveLength(1);
    const d2 = new FlvDemuxer();
    d2.on('error', (e) => errors.push(e));
    d2.push(Buffer.concat([header, tag(9, 0, avc(true, 0, Buffer.from([9, 9, 9])))]));
    expect(errors[1].message).toMatch(/AVCDecoderConfigurationRecord/);
  });
});
