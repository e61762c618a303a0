// Runs inside Chromium (bundled with mediasoup-client by tests/webrtc-page.ts): a viewer wall
// that signals through window.qlySignal, which the Node side wires to a SignalSession.
import { Device, type types } from 'mediasoup-client';
import type { ConsumeResult, TransportParams } from '../web/src/features/wall/webrtc-session';
export interface WatchOptions {
  /** false: frames are counted before the decoder and dropped (bench: measure the SFU, not decoding). */
  decode: boolean;
  /** Replace the DTLS fingerprint the browser sends, so the handshake must fail. */
  corruptFingerprint?: boolean;
}
export interface TileState {
  transportId: string;
  frames: number;
  firstFrameMs: number | null;
  connectionState: string;
}

declare global {
  interface Window {
    qlySignal(request: { method: string; params: unknown }): Promise<unknown>;
    qly: { watch(streamId: string, options: WatchOptions): Promise<number>; tiles(): TileState[]; closeAll(): void };
  }
}

const signal = <T>(method: string, params: unknown): Promise<T> => window.qlySignal({ method, params }) as Promise<T>;

let device: Device | undefined;
const tiles: (TileState & { close(): void })[] = [];

async function loadDevice(): Promise<Device> {
  if (!device) {
    // mediasoup-client does not recognise HeadlessChrome's user agent.
    const d = new Device({ handlerName: 'Chrome111' });
    await d.load({ routerRtpCapabilities: await signal<types.RtpCapabilities>('getRouterRtpCapabilities', {}) });
    device = d;
  }
  return device;
}

function countEncodedFrames(receiver: RTCRtpReceiver, tile: TileState, started: number): void {
  const { readable } = (receiver as unknown as { createEncodedStreams(): { readable: ReadableStream } }).createEncodedStreams();
  void readable.pipeTo(
    new WritableStream({
      write() {
        tile.firstFrameMs ??= performance.now() - started;
        tile.frames += 1;
      },
    }),
  );
}

function countShownFrames(track: MediaStreamTrack, tile: TileState, started: number): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  video.width = 320;
  video.height = 180;
  video.srcObject = new MediaStream([track]);
  document.body.append(video);
  const onFrame = (): void => {
    tile.firstFrameMs ??= performance.now() - started;
    tile.frames += 1;
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  void video.play().catch(() => undefined);
  return video;
}

async function watch(streamId: string, options: WatchOptions): Promise<number> {
  const started = performance.now();
  const dev = await loadDevice();
  const params = await signal<TransportParams>('createTransport', { streamId });
  const transport = dev.createRecvTransport({
    id: params.transportId,
    iceParameters: params.iceParameters,
    iceCandidates: params.iceCandidates,
    dtlsParameters: params.dtlsParameters,
    ...(options.decode ? {} : { additionalSettings: { encodedInsertableStreams: true } as RTCConfiguration }),
  });
  const tile = { transportId: params.transportId, frames: 0, firstFrameMs: null as number | null, connectionState: 'new', close: () => transport.close() };
  tiles.push(tile);
  transport.on('connectionstatechange', (s) => (tile.connectionState = s));
  transport.on('connect', ({ dtlsParameters }, ok, fail) => {
    if (options.corruptFingerprint) {
      dtlsParameters = { ...dtlsParameters, fingerprints: dtlsParameters.fingerprints.map((f) => ({ ...f, value: f.value.replace(/[0-9A-F]/g, '0') })) };
    }
    signal('connectTransport', { transportId: params.transportId, dtlsParameters }).then(() => ok(), fail);
  });
  const c = await signal<ConsumeResult>('consume', { transportId: params.transportId, rtpCapabilities: dev.rtpCapabilities });
  const consumer = await transport.consume({ id: c.consumerId, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters });
  if (options.decode) countShownFrames(consumer.track, tile, started);
  else countEncodedFrames(consumer.rtpReceiver!, tile, started);
  await signal('resume', { transportId: params.transportId });
  return tiles.length - 1;
}

window.qly = {
  watch,
  tiles: () => tiles.map(({ transportId, frames, firstFrameMs, connectionState }) => ({ transportId, frames, firstFrameMs, connectionState })),
  closeAll: () => tiles.forEach((t) => t.close()),
};
