import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { buildIngestArgs, inputProtocol } from './ffmpeg-args';
import { redactCredentials } from './ingest';

const base = { ioTimeoutMs: 4000, fragmentMs: 200, transcode: false, rtpOutputs: [] };

describe('buildIngestArgs', () => {
  it('pulls RTSP over TCP with a socket timeout and copies video into fragmented MP4', () => {
    const args = buildIngestArgs({ url: 'rtsp://cam/stream1' }, base).join(' ');
    expect(args).toContain('-rtsp_transport tcp -timeout 4000000 -i rtsp://cam/stream1');
    expect(args).toContain('-map 0:v:0 -c:v copy -an -f mp4 -movflags frag_keyframe+empty_moov+default_base_moof -frag_duration 200000');
    expect(args).not.toContain('libx264');
  });

  it('uses rw_timeout for RTMP and loops files in real time', () => {
    expect(buildIngestArgs({ url: 'rtmp://127.0.0.1/live/k' }, base).join(' ')).toContain('-rw_timeout 4000000 -i rtmp://127.0.0.1/live/k');
    expect(buildIngestArgs({ url: 'file:///tmp/a.mp4' }, base).join(' ')).toContain('-re -stream_loop -1 -i file:/tmp/a.mp4');
    expect(buildIngestArgs({ url: '/tmp/a.mp4' }, base).join(' ')).toContain('-i file:/tmp/a.mp4');
  });

  it('adds one RTP leg per output and transcodes every leg when asked', () => {
    const args = buildIngestArgs({ url: 'rtsp://cam/s' }, {
      ...base,
      transcode: true,
      rtpOutputs: [{ ip: '127.0.0.1', port: 40000, payloadType: 102, ssrc: 1234 }],
    }).join(' ');
    expect(args).toContain('-f rtp -payload_type 102 -ssrc 1234 rtp://127.0.0.1:40000?pkt_size=1200&rtcpport=40001');
    expect(args.match(/libx264/g)).toHaveLength(2);
    const fixed = buildIngestArgs({ url: 'rtsp://cam/s' }, {
      ...base,
      rtpOutputs: [{ ip: '127.0.0.1', port: 40000, rtcpPort: 40000, localRtpPort: 41000, localRtcpPort: 41001, payloadType: 96, ssrc: 1 }],
    }).join(' ');
    expect(fixed).toContain('rtp://127.0.0.1:40000?pkt_size=1200&rtcpport=40000&localrtpport=41000&localrtcpport=41001');
    expect(args).toContain('-profile:v baseline');
  });

  it('refuses schemes that are not camera inputs', () => {
    expect(() => inputProtocol('concat:/etc/passwd|x')).toThrow(/unsupported source scheme 'concat'/);
    expect(() => inputProtocol('subfile,,start,0,end,9,,:/etc/passwd')).toThrow(/unsupported/);
    expect(() => inputProtocol('ftp://x/y')).toThrow(/unsupported source scheme 'ftp'/);
    expect(() => inputProtocol('subfile://x')).toThrow(/unsupported/);
  });
});

describe('backoffDelay', () => {
  const opts = { initialMs: 500, maxMs: 8000, jitter: 0 };
  it('doubles per failure up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, opts))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
  it('randomises only the jitter share', () => {
    expect(backoffDelay(1, { ...opts, jitter: 0.5 }, () => 0)).toBe(250);
    expect(backoffDelay(1, { ...opts, jitter: 0.5 }, () => 1)).toBe(500);
  });
});

describe('redactCredentials', () => {
  it('hides user and password in URLs', () => {
    expect(redactCredentials('rtsp://admin:s3cret@10.0.0.2:554/s: 401 Unauthorized')).toBe('rtsp://***@10.0.0.2:554/s: 401 Unauthorized');
    expect(redactCredentials('rtsp://10.0.0.2/s')).toBe('rtsp://10.0.0.2/s');
  });
});
