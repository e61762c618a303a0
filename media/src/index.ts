// Public surface of the media node; the server mounts mediaHttpPlugin and drives MediaNode.
export { MediaNode, CapacityError, UnknownStreamError, validateStreamId } from './node';
export type { MediaNodeOptions, MediaNodeInfo, MediaNodeEvents, StreamSource } from './node';
export { MediaStream } from './stream';
export type { StreamStatus, MediaStreamOptions } from './stream';
export { mediaHttpPlugin } from './hls/http-plugin';
export type { MediaHttpOptions, AuthDenial } from './hls/http-plugin';
export { Ingest, DEFAULT_INGEST_OPTIONS, redactCredentials } from './ingest/ingest';
export type { IngestState, IngestOptions, Fragment, InitSegment } from './ingest/ingest';
export type { IngestSource, RtpOutput } from './ingest/ffmpeg-args';
export type { CodecInfo } from './ingest/codec-info';
export type { Frame, PixelFormat } from './frames/frame-decoder';
export type { FrameOptions } from './frames/frame-hub';
export { FrameSubscription } from './frames/frame-subscription';
export type { Snapshot } from './snapshot/snapshotter';
export { RtmpIngestServer } from './rtmp/rtmp-ingest-server';
export type { RtmpIngestOptions, PublishEvent, RtmpIngestEvents } from './rtmp/rtmp-ingest-server';
export { attachRtmpIngest, rtmpStreamId } from './rtmp/attach';
