// Session description for one H.264 track (RFC 4566, RFC 6184 §8.2).
import { profileLevelId } from '../media/h264';
import { RTP_PAYLOAD_TYPE } from './rtp';

export const TRACK_CONTROL = 'trackID=1';

export function describeH264(opts: { host: string; sessionId: string; name: string; sps: Buffer; pps: Buffer; width: number; height: number; fps: number }): string {
  const sprop = `${opts.sps.toString('base64')},${opts.pps.toString('base64')}`;
  return [
    'v=0',
    `o=- ${opts.sessionId} 1 IN IP4 ${opts.host}`,
    `s=${opts.name}`,
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=control:*',
    'a=range:npt=now-',
    `m=video 0 RTP/AVP ${RTP_PAYLOAD_TYPE}`,
    `a=rtpmap:${RTP_PAYLOAD_TYPE} H264/90000`,
    `a=fmtp:${RTP_PAYLOAD_TYPE} packetization-mode=1;profile-level-id=${profileLevelId(opts.sps)};sprop-parameter-sets=${sprop}`,
    `a=framesize:${RTP_PAYLOAD_TYPE} ${opts.width}-${opts.height}`,
    `a=framerate:${opts.fps}`,
    `a=control:${TRACK_CONTROL}`,
    '',
  ].join('\r\n');
}
