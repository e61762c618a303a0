// Public surface of analytics/ for the server and tools (the plates engineer adds a line for plates).
export { StallDetector, DEFAULT_DETECTOR } from './stalls/detector';
export type { DetectorOptions } from './stalls/detector';
export { ZoneError, FrameError } from './stalls/errors';
export { validatePolygon, validateDwell, validateZone } from './stalls/polygon';
export { isActiveAt } from './stalls/active-hours';
export type { ActiveWindow } from './stalls/active-hours';
export type { BackgroundRef, Box, Frame, Point, StallEvent, StallUpdate, ZoneSpec } from './stalls/types';
export { CameraPipeline, snapshotJpeg } from './stalls/pipeline';
export { redisBackgroundStore } from './stalls/background-store';
export type { BackgroundStore } from './stalls/background-store';
export type { CameraStallEvent, FeedFrame, FrameFeed, OpenStallEvent, PipelineDeps, PipelineHealth, PipelineState, StallSink } from './stalls/pipeline';
export { StallWorker, StallScheduler, STALL_QUEUE, readStallHealth, summariseStallHealth } from './stalls/worker';
export type { StallWorkerOptions, StallQueueOptions, StallJobData } from './stalls/worker';
