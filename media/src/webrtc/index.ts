// WebRTC relay through mediasoup: see media/README.md, section "WebRTC".
export { h264ProfileOf, profileLevelIdFromProbe, UnsupportedCodecError, type H264Profile } from './codecs';
export { planWorkerCount, Sfu, type SfuOptions, type SfuStats } from './sfu';
export { handleSignal, SignalError, SignalSession, type SignalErrorCode, type SignalMethod, type SignalSessionOptions } from './signal';
export { ffmpegRtpOutputArgs, StreamRoom, type RtpInput, type StreamCloseReason, type StreamRoomOptions } from './stream-room';
export { Viewer, type ConsumeResult, type TransportParams, type ViewerCloseReason } from './viewer';
export { cachedWorkerBinPath, loadMediasoup, mediasoupWorkerBin, WorkerBinaryMissingError } from './worker-bin';
