// H.264 over RTP (RFC 6184): single NAL unit packets and FU-A fragments; RTCP sender reports (RFC 3550).
import { NAL_AUD, NAL_PPS, NAL_SPS, nalType } from '../media/h264';

export const RTP_PAYLOAD_TYPE = 96;
const MAX_PAYLOAD = 1400;

/** One RTP payload plus what its header needs; the header is written per session (own sequence numbers). */
export interface RtpPayload {
  data: Buffer;
  marker: boolean;
}

/** Payloads for one access unit. Parameter sets go in front of every keyframe so late joiners can decode. */
export function packetizeAccessUnit(nals: Buffer[], keyframe: boolean, sps: Buffer, pps: Buffer): RtpPayload[] {
  const units = nals.filter((n) => nalType(n) !== NAL_AUD);
  if (keyframe && !units.some((n) => nalType(n) === NAL_SPS)) units.unshift(sps, pps);
  else if (keyframe && !units.some((n) => nalType(n) === NAL_PPS)) units.unshift(pps);
  const out: RtpPayload[] = [];
  for (const nal of units) {
    if (nal.length <= MAX_PAYLOAD) {
      out.push({ data: nal, marker: false });
      continue;
    }
    const indicator = (nal[0] & 0xe0) | 28;
    const type = nal[0] & 0x1f;
    for (let off = 1; off < nal.length; off += MAX_PAYLOAD - 2) {
      const end = Math.min(off + MAX_PAYLOAD - 2, nal.length);
      const header = (off === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | type;
      out.push({ data: Buffer.concat([Buffer.from([indicator, header]), nal.subarray(off, end)]), marker: false });
    }
  }
  if (out.length) out[out.length - 1].marker = true;
  return out;
}

export function rtpHeader(seq: number, timestamp: number, ssrc: number, marker: boolean): Buffer {
  const h = Buffer.allocUnsafe(12);
  h[0] = 0x80;
  h[1] = (marker ? 0x80 : 0) | RTP_PAYLOAD_TYPE;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(timestamp >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return h;
}

const NTP_EPOCH_OFFSET = 2_208_988_800;

/** Compound RTCP packet: sender report + SDES CNAME (RFC 3550 §6.1 says every compound packet has both). */
export function senderReport(ssrc: number, wallMs: number, rtpTime: number, packets: number, octets: number, cname: string): Buffer {
  const sr = Buffer.alloc(28);
  sr[0] = 0x80;
  sr[1] = 200;
  sr.writeUInt16BE(6, 2);
  sr.writeUInt32BE(ssrc >>> 0, 4);
  const secs = Math.floor(wallMs / 1000);
  sr.writeUInt32BE((secs + NTP_EPOCH_OFFSET) >>> 0, 8);
  sr.writeUInt32BE(Math.floor(((wallMs % 1000) / 1000) * 0x1_0000_0000) >>> 0, 12);
  sr.writeUInt32BE(rtpTime >>> 0, 16);
  sr.writeUInt32BE(packets >>> 0, 20);
  sr.writeUInt32BE(octets >>> 0, 24);

  const name = Buffer.from(cname.slice(0, 255), 'utf8');
  const itemLen = 2 + name.length;
  const sdesLen = Math.ceil((4 + itemLen + 1) / 4) * 4; // SSRC + item + END, padded to 32 bits
  const sdes = Buffer.alloc(4 + sdesLen);
  sdes[0] = 0x81;
  sdes[1] = 202;
  sdes.writeUInt16BE(sdesLen / 4, 2);
  sdes.writeUInt32BE(ssrc >>> 0, 4);
  sdes[8] = 1;
  sdes[9] = name.length;
  name.copy(sdes, 10);
  return Buffer.concat([sr, sdes]);
}
