// What an RTSP stream needs from a camera's encoder: parameter sets and timed access units.
import type { EventEmitter } from 'node:events';

export interface EncodedFrame {
  nals: Buffer[];
  keyframe: boolean;
  /** 90 kHz RTP clock, not yet wrapped to 32 bits */
  rtpTime: number;
  /** camera clock (ms since epoch, including any injected skew) at which the frame was captured */
  wallMs: number;
}

export interface VideoSourceEvents {
  frame: [EncodedFrame];
}

export interface VideoSource extends EventEmitter<VideoSourceEvents> {
  readonly sps: Buffer;
  readonly pps: Buffer;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** told when the first viewer arrives (true) and the last leaves (false); live encoders run only on demand */
  demand?(active: boolean): void;
}

export const RTP_CLOCK = 90_000;
