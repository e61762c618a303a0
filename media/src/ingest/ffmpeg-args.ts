// The one ffmpeg command line per camera: input options by protocol, a fragmented-MP4 pipe for
// LL-HLS/snapshots/frames, and RTP legs for the SFU — all from one pull of the camera.

export interface RtpOutput {
  ip: string;
  port: number;
  /** Defaults to port + 1 (RFC 3550); mediasoup with rtcpMux wants the same port. */
  rtcpPort?: number;
  /**
   * Fixed source ports: a mediasoup PlainTransport with comedia locks onto the first source it
   * hears, so an ffmpeg restart must send from the same ports (the SFU's RtpInput sets them).
   */
  localRtpPort?: number;
  localRtcpPort?: number;
  payloadType: number;
  ssrc: number;
}

export interface IngestSource {
  /** Any ffmpeg input: rtsp://, rtmp://, http(s)://, or a local file (looped in real time). */
  url: string;
  /** Re-encode to H.264 Constrained Baseline when the camera's codec/profile is unplayable. */
  transcode?: boolean;
  rtspTransport?: 'tcp' | 'udp';
}

export interface ArgsOptions {
  ioTimeoutMs: number;
  fragmentMs: number;
  transcode: boolean;
  rtpOutputs: readonly RtpOutput[];
}

export function inputProtocol(url: string): 'rtsp' | 'rtmp' | 'http' | 'file' {
  // ffmpeg also reads "concat:", "subfile,", "pipe:"… without "//": anything that looks like a
  // protocol prefix must be one we allow, and plain paths are passed as file: URLs.
  const scheme = /^([a-z][a-z0-9+.-]*)[:,]/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'rtsp' || scheme === 'rtsps') return 'rtsp';
  if (scheme === 'rtmp' || scheme === 'rtmps') return 'rtmp';
  if (scheme === 'http' || scheme === 'https') return 'http';
  if (scheme === undefined || scheme === 'file') return 'file';
  throw new Error(`unsupported source scheme '${scheme}'`);
}

function inputArgs(source: IngestSource, ioTimeoutUs: number): string[] {
  // Short probing: live cameras send parameter sets with every keyframe.
  const common = ['-analyzeduration', '1000000', '-probesize', '1000000'];
  switch (inputProtocol(source.url)) {
    case 'rtsp':
      // -timeout is the RTSP socket I/O timeout: a camera that stops sending ends ffmpeg.
      return [...common, '-rtsp_transport', source.rtspTransport ?? 'tcp', '-timeout', String(ioTimeoutUs), '-i', source.url];
    case 'rtmp':
    case 'http':
      return [...common, '-rw_timeout', String(ioTimeoutUs), '-i', source.url];
    case 'file':
      return [...common, '-re', '-stream_loop', '-1', '-i', `file:${source.url.replace(/^file:(\/\/)?/i, '')}`];
  }
}

function videoCodecArgs(transcode: boolean): string[] {
  if (!transcode) return ['-c:v', 'copy'];
  // One keyframe a second keeps LL-HLS segments at 1 s and lets new WebRTC viewers start fast.
  return [
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline',
    '-pix_fmt', 'yuv420p', '-bf', '0', '-force_key_frames', 'expr:gte(t,n_forced*1)',
  ];
}

export function buildIngestArgs(source: IngestSource, opts: ArgsOptions): string[] {
  const video = videoCodecArgs(opts.transcode);
  const args = ['-hide_banner', '-nostats', '-nostdin', '-loglevel', 'info', ...inputArgs(source, opts.ioTimeoutMs * 1000)];
  args.push(
    '-map', '0:v:0', ...video, '-an',
    '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof',
    '-frag_duration', String(opts.fragmentMs * 1000), '-flush_packets', '1', 'pipe:1',
  );
  for (const rtp of opts.rtpOutputs) {
    let url = `rtp://${rtp.ip}:${rtp.port}?pkt_size=1200&rtcpport=${rtp.rtcpPort ?? rtp.port + 1}`;
    if (rtp.localRtpPort) url += `&localrtpport=${rtp.localRtpPort}`;
    if (rtp.localRtcpPort) url += `&localrtcpport=${rtp.localRtcpPort}`;
    args.push('-map', '0:v:0', ...video, '-an', '-f', 'rtp', '-payload_type', String(rtp.payloadType), '-ssrc', String(rtp.ssrc), url);
  }
  return args;
}
