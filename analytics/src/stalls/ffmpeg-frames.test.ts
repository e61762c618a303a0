import { describe, expect, it } from 'vitest';
import { ffmpegArgs, PamParser } from './ffmpeg-frames';

function pam(width: number, height: number, fill: number): Buffer {
  const header = Buffer.from(`P7\nWIDTH ${width}\nHEIGHT ${height}\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n`, 'latin1');
  return Buffer.concat([header, Buffer.alloc(width * height * 3, fill)]);
}

describe('PamParser', () => {
  it('reassembles frames split at any byte across chunks', () => {
    const stream = Buffer.concat([pam(20, 10, 1), pam(20, 10, 2), pam(32, 18, 3)]);
    for (const step of [1, 7, 100, 601, stream.length]) {
      const p = new PamParser();
      const frames = [];
      for (let i = 0; i < stream.length; i += step) frames.push(...p.push(stream.subarray(i, i + step)));
      expect(frames.map((f) => [f.width, f.height, f.data[0], f.data.length])).toEqual([
        [20, 10, 1, 600],
        [20, 10, 2, 600],
        [32, 18, 3, 1728],
      ]);
    }
  });

  it('rejects streams that are not RGB PAM', () => {
    expect(() => new PamParser().push(Buffer.from('GIF89a...ENDHDR\n'))).toThrow(/not a PAM/);
    expect(() => new PamParser().push(Buffer.from('P7\nWIDTH 4\nHEIGHT 4\nDEPTH 4\nMAXVAL 255\nENDHDR\n'))).toThrow(/unsupported/);
    expect(() => new PamParser().push(Buffer.alloc(5000, 65))).toThrow(/header too long/);
  });
});

describe('ffmpegArgs', () => {
  it('decodes files plainly and RTSP over TCP with a socket timeout', () => {
    const file = ffmpegArgs('clip.mp4', { fps: 2, maxWidth: 640 });
    expect(file).not.toContain('-rtsp_transport');
    expect(file.join(' ')).toContain("fps=2,scale='min(640,iw)':-2");
    const rtsp = ffmpegArgs('rtsp://127.0.0.1:8554/sub', { fps: 2, maxWidth: 320 });
    expect(rtsp.slice(rtsp.indexOf('-rtsp_transport'), rtsp.indexOf('-rtsp_transport') + 4)).toEqual(['-rtsp_transport', 'tcp', '-timeout', '5000000']);
  });
});
