import { describe, expect, it } from 'vitest';
import { packetizeAccessUnit, rtpHeader, senderReport } from './rtp';

const sps = Buffer.from([0x67, 0x4d, 0x40, 0x1f, 1, 2]);
const pps = Buffer.from([0x68, 0xee, 0x3c, 0x80]);

describe('H.264 RTP packetization (RFC 6184)', () => {
  it('sends small NAL units whole and puts parameter sets before a keyframe', () => {
    const idr = Buffer.from([0x65, 1, 2, 3]);
    const p = packetizeAccessUnit([Buffer.from([0x09, 0xf0]), idr], true, sps, pps);
    expect(p.map((x) => x.data[0] & 0x1f)).toEqual([7, 8, 5]); // AUD dropped
    expect(p.map((x) => x.marker)).toEqual([false, false, true]);
    const inter = packetizeAccessUnit([Buffer.from([0x41, 1])], false, sps, pps);
    expect(inter).toHaveLength(1);
  });

  it('fragments large NAL units as FU-A with start and end bits, and reassembles exactly', () => {
    const nal = Buffer.alloc(5000, 7);
    nal[0] = 0x65;
    const p = packetizeAccessUnit([sps, pps, nal], true, sps, pps);
    const fus = p.filter((x) => (x.data[0] & 0x1f) === 28);
    expect(fus.length).toBe(Math.ceil(4999 / 1398));
    expect(fus[0].data[1] & 0x80).toBe(0x80);
    expect(fus[fus.length - 1].data[1] & 0x40).toBe(0x40);
    expect(fus.every((f) => (f.data[1] & 0x1f) === 5 && (f.data[0] & 0x60) === (0x65 & 0x60) && f.data.length <= 1400)).toBe(true);
    const rebuilt = Buffer.concat([Buffer.from([(fus[0].data[0] & 0xe0) | (fus[0].data[1] & 0x1f)]), ...fus.map((f) => f.data.subarray(2))]);
    expect(rebuilt.equals(nal)).toBe(true);
    expect(p[p.length - 1].marker).toBe(true);
  });

  it('writes RTP headers and RTCP SR + SDES', () => {
    const h = rtpHeader(70000, 2 ** 33 + 5, 0xdeadbeef, true);
    expect([h[0], h[1], h.readUInt16BE(2), h.readUInt32BE(4), h.readUInt32BE(8)]).toEqual([0x80, 0x80 | 96, 70000 & 0xffff, 5, 0xdeadbeef]);
    const sr = senderReport(1, Date.UTC(2026, 0, 1), 1234, 10, 2000, 'cam@127.0.0.1');
    expect(sr[1]).toBe(200);
    expect(sr.readUInt32BE(8) - 2_208_988_800).toBe(Date.UTC(2026, 0, 1) / 1000);
    expect(sr.readUInt32BE(16)).toBe(1234);
    const sdes = sr.subarray(28);
    expect(sdes[1]).toBe(202);
    expect((sdes.readUInt16BE(2) + 1) * 4).toBe(sdes.length);
    expect(sdes.subarray(10, 10 + sdes[9]).toString()).toBe('cam@127.0.0.1');
  });
});
