// A phone/body camera pushing RTMP becomes a stream like a camera's: ffmpeg pushes to the
// node-media-server listener, the node's ingest pulls it back and packages LL-HLS.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaNode } from '../media/src/node';
import { attachRtmpIngest, rtmpStreamId } from '../media/src/rtmp/attach';
import { RtmpIngestServer, type PublishEvent } from '../media/src/rtmp/rtmp-ingest-server';
import { clip, ffmpegChildren, waitUntil } from './media-fixtures';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

let rtmp: RtmpIngestServer;
let node: MediaNode;
let src: string;
const pushers: ChildProcess[] = [];

function push(key: string): ChildProcess {
  const p = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', src, '-c', 'copy', '-f', 'flv', `rtmp://127.0.0.1:${rtmp.port}/live/${key}`], {
    stdio: 'ignore',
  });
  pushers.push(p);
  return p;
}

beforeAll(async () => {
  src = await clip('baseline');
  rtmp = new RtmpIngestServer({ port: await freePort(), authorizePublish: (key) => key !== 'banned' });
  await rtmp.start();
  node = new MediaNode({ id: 'rtmp-node', address: 'http://127.0.0.1', idleStopMs: 200 });
  attachRtmpIngest(rtmp, node);
});

afterAll(async () => {
  for (const p of pushers) p.kill('SIGKILL');
  await node.close();
  await rtmp.stop();
  await waitUntil(() => ffmpegChildren().length === 0, 3000, 'no ffmpeg left');
});

describe('RTMP ingest', () => {
  it('turns a push into a stream the node relays', async () => {
    const published: PublishEvent[] = [];
    rtmp.on('publish', (e) => published.push(e));
    push('bodycam7');
    await waitUntil(() => published.length === 1, 10_000, 'publish');
    expect(published[0]).toMatchObject({ key: 'bodycam7', url: `rtmp://127.0.0.1:${rtmp.port}/live/bodycam7` });
    expect(rtmp.publishing()).toEqual(['bodycam7']);
    const stream = node.acquire(rtmpStreamId('bodycam7'), undefined, 'viewer:test');
    await waitUntil(() => stream.packager.segments.some((s) => s.complete), 10_000, 'a whole LL-HLS segment');
    expect(node.status('rtmp-bodycam7')).toMatchObject({ state: 'live', codec: 'h264', width: 640, height: 360, viewers: 1 });
    node.release('rtmp-bodycam7', 'viewer:test');
  });

  it('refuses a key the authorizer rejects and unsafe names', async () => {
    const rejected: string[] = [];
    rtmp.on('rejected', (e) => rejected.push(`${e.key}: ${e.reason}`));
    const p = push('banned');
    await waitUntil(() => rejected.length === 1, 10_000, 'rejection');
    expect(rejected[0]).toBe('banned: stream key not allowed');
    await waitUntil(() => p.exitCode !== null, 10_000, 'the pusher to be dropped');
    expect(rtmp.publishing()).not.toContain('banned');
    expect(node.isKnown('rtmp-banned')).toBe(false);
    expect(() => rtmp.streamUrl('../x')).toThrow(/invalid RTMP stream key/);
  });

  it('allows one listener per process (node-media-server keeps global state)', async () => {
    const other = new RtmpIngestServer({ port: rtmp.port });
    await expect(other.start()).rejects.toThrow(/already running/);
  });
});
