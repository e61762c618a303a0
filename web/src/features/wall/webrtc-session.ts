// One tile's WebRTC view: a mediasoup-client receive transport and consumer, signalled over the
// app's /api/ws (`webrtc` method; the stream token goes with createTransport). The Device is
// loaded once per page and shared by every tile.
import { Device, type types } from 'mediasoup-client';
import { live } from '../../api/live';

/** Wire shapes of the `webrtc` signalling method (also used by the test page in tests/). */
export interface TransportParams {
  transportId: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}
export interface ConsumeResult {
  consumerId: string;
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
}

const signal = <T>(method: string, params: unknown, token?: string): Promise<T> => live.request<T>('webrtc', { signal: { method, params }, ...(token ? { token } : {}) });

let device: Promise<Device> | null = null;

async function newDevice(): Promise<Device> {
  let d: Device;
  try {
    d = await Device.factory();
  } catch {
    // mediasoup-client does not know HeadlessChrome's user agent; every Chromium speaks Chrome111.
    d = new Device({ handlerName: 'Chrome111' });
  }
  await d.load({ routerRtpCapabilities: await signal<types.RtpCapabilities>('getRouterRtpCapabilities', {}) });
  return d;
}

function loadDevice(): Promise<Device> {
  device ??= newDevice().catch((err) => {
    device = null;
    throw err;
  });
  return device;
}

export class WebRtcSession {
  private transport: types.Transport | null = null;
  private consumer: types.Consumer | null = null;
  private closed = false;
  private lastBytes: { at: number; bytes: number } | null = null;
  /** Set when ICE/DTLS fails or the server closes us: the tile reconnects. */
  onFailed: ((reason: string) => void) | null = null;

  constructor(
    readonly streamId: string,
    private readonly video: HTMLVideoElement,
  ) {}

  async start(token: string): Promise<void> {
    const dev = await loadDevice();
    const params = await signal<TransportParams>('createTransport', { streamId: this.streamId }, token);
    if (this.closed) return void signal('close', { transportId: params.transportId }).catch(() => {});
    const transport = dev.createRecvTransport({ id: params.transportId, iceParameters: params.iceParameters, iceCandidates: params.iceCandidates, dtlsParameters: params.dtlsParameters });
    this.transport = transport;
    transport.on('connect', ({ dtlsParameters }, ok, fail) => {
      signal('connectTransport', { transportId: transport.id, dtlsParameters }).then(() => ok(), fail);
    });
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed' || state === 'disconnected' || state === 'closed') this.onFailed?.(`webrtc ${state}`);
    });
    const c = await signal<ConsumeResult>('consume', { transportId: transport.id, rtpCapabilities: dev.rtpCapabilities });
    this.consumer = await transport.consume({ id: c.consumerId, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters });
    this.video.srcObject = new MediaStream([this.consumer.track]);
    void this.video.play().catch(() => {});
    await signal('resume', { transportId: transport.id });
  }

  /** Bits per second since the previous call, from the browser's inbound-rtp stats. */
  async bitrate(): Promise<number | null> {
    if (!this.consumer) return null;
    let bytes = 0;
    (await this.consumer.getStats()).forEach((s: { type: string; bytesReceived?: number }) => {
      if (s.type === 'inbound-rtp') bytes += s.bytesReceived ?? 0;
    });
    const now = performance.now();
    const prev = this.lastBytes;
    this.lastBytes = { at: now, bytes };
    return prev && now > prev.at ? ((bytes - prev.bytes) * 8000) / (now - prev.at) : null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const id = this.transport?.id;
    this.consumer?.close();
    this.transport?.close();
    // The server would notice the dead transport only when ICE consent runs out; say it now.
    if (id) void signal('close', { transportId: id }).catch(() => {});
    this.video.srcObject = null;
  }
}
