// Makes pushed RTMP streams assignable cameras on a media node: a push of key K is served as
// stream `rtmp-K` (the ingest starts when someone watches). The assignment stays after the
// pusher drops, so a phone that reconnects resumes the same stream.
import type { MediaNode } from '../node';
import type { RtmpIngestServer } from './rtmp-ingest-server';

export function rtmpStreamId(key: string): string {
  return `rtmp-${key}`;
}

export function attachRtmpIngest(rtmp: RtmpIngestServer, node: MediaNode, streamIdFor = rtmpStreamId): () => void {
  const onPublish = ({ key, url }: { key: string; url: string }) => node.assign(streamIdFor(key), { url });
  rtmp.on('publish', onPublish);
  return () => rtmp.off('publish', onPublish);
}
