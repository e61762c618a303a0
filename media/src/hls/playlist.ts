// Media playlists for one stream: LL-HLS (parts, preload hint, blocking reload) and a plain one
// with whole segments only, for players without LL support.
import type { HlsSegment, LlHlsPackager } from './ll-hls-packager';

const fmt = (s: number) => s.toFixed(5).replace(/0+$/, '').replace(/\.$/, '.0');

export const initUri = (generation: number) => `init-${generation}.mp4`;
export const segmentUri = (msn: number) => `seg-${msn}.m4s`;
export const partUri = (msn: number, index: number) => `part-${msn}.${index}.m4s`;

function header(p: LlHlsPackager, version: number): string[] {
  const first = p.segments[0];
  return [
    '#EXTM3U',
    `#EXT-X-VERSION:${version}`,
    `#EXT-X-TARGETDURATION:${p.targetDuration}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MEDIA-SEQUENCE:${first?.msn ?? 0}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${p.discontinuitySequence}`,
  ];
}

function segmentPrelude(seg: HlsSegment, prevGeneration: number | undefined): string[] {
  const lines: string[] = [];
  if (seg.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
  if (seg.initGeneration !== prevGeneration) lines.push(`#EXT-X-MAP:URI="${initUri(seg.initGeneration)}"`);
  lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(seg.programDateTime).toISOString()}`);
  return lines;
}

export function renderLowLatencyPlaylist(p: LlHlsPackager): string {
  const partTargetS = p.partTarget;
  const lines = header(p, 9);
  lines.splice(
    3,
    0,
    `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${fmt(partTargetS * 3)}`,
    `#EXT-X-PART-INF:PART-TARGET=${fmt(partTargetS)}`,
  );
  // Apple: parts older than three target durations from the live edge should be left out.
  const last = p.segments.at(-1);
  const partsFromMsn = last ? last.msn - 3 * p.targetDuration : 0;
  let prevGeneration: number | undefined;
  for (const seg of p.segments) {
    lines.push(...segmentPrelude(seg, prevGeneration));
    prevGeneration = seg.initGeneration;
    if (seg.msn > partsFromMsn) {
      for (const part of seg.parts) {
        lines.push(`#EXT-X-PART:DURATION=${fmt(part.duration)},URI="${partUri(part.msn, part.index)}"${part.independent ? ',INDEPENDENT=YES' : ''}`);
      }
    }
    if (seg.complete) lines.push(`#EXTINF:${fmt(seg.duration)},`, segmentUri(seg.msn));
  }
  const hint = p.nextPartAddress();
  lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${partUri(hint.msn, hint.index)}"`);
  return lines.join('\n') + '\n';
}

export function renderPlainPlaylist(p: LlHlsPackager): string {
  const lines = header(p, 7);
  let prevGeneration: number | undefined;
  for (const seg of p.segments) {
    if (!seg.complete) continue;
    lines.push(...segmentPrelude(seg, prevGeneration));
    prevGeneration = seg.initGeneration;
    lines.push(`#EXTINF:${fmt(seg.duration)},`, segmentUri(seg.msn));
  }
  return lines.join('\n') + '\n';
}
