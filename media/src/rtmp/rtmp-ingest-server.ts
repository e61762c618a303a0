// RTMP ingest for body cameras and phones: node-media-server 4 accepts the push
// (rtmp://host:1935/live/<key>) and the node's ordinary ingest pulls it back locally, so a pushed
// stream becomes a camera like any other. Only NMS's RTMP listener is used: no HTTP-FLV, relay,
// recording or store (it would write ./data).
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Server } from 'node:net';

const require = createRequire(import.meta.url);

interface NmsSession {
  id: string;
  ip: string;
  streamApp: string;
  streamName: string;
  streamQuery: Record<string, unknown>;
  close(): void;
}
interface NmsContext {
  config: Record<string, unknown>;
  eventEmitter: EventEmitter;
}
interface NmsRtmpServer {
  tcpServer?: Server;
  stop(): void;
}

const Context = require('node-media-server/src/core/context.js') as NmsContext;
const logger = require('node-media-server/src/core/logger.js') as { level: string };
const NodeRtmpServer = require('node-media-server/src/server/rtmp_server.js') as new () => NmsRtmpServer;

export interface RtmpIngestOptions {
  port: number;
  /** Listen address; 0.0.0.0 for devices on the network. */
  host?: string;
  /** RTMP application name pushers use. */
  app?: string;
  /** Decides whether a push with this stream key (and query, e.g. ?sign=…) is accepted. */
  authorizePublish?: (key: string, query: Record<string, unknown>) => boolean;
}

export interface PublishEvent {
  key: string;
  /** Where the node's ingest reads the stream back. */
  url: string;
  remoteAddress: string;
}

export interface RtmpIngestEvents {
  publish: [PublishEvent];
  unpublish: [{ key: string }];
  rejected: [{ key: string; remoteAddress: string; reason: string }];
}

const KEY = /^[A-Za-z0-9_-]{1,64}$/;

// node-media-server keeps its state in module singletons: one RTMP listener per process.
const slot = { taken: false };

export class RtmpIngestServer extends EventEmitter<RtmpIngestEvents> {
  private server: NmsRtmpServer | null = null;
  private readonly live = new Set<string>();
  /** Sessions refused in prePublish: NMS still runs postPublish/donePublish for them. */
  private readonly rejected = new Set<string>();
  private readonly app: string;
  private readonly nmsHandlers: [string, (s: NmsSession) => void][];

  constructor(private readonly opts: RtmpIngestOptions) {
    super();
    this.app = opts.app ?? 'live';
    this.nmsHandlers = [
      ['prePublish', this.onPrePublish],
      ['postPublish', this.onPostPublish],
      ['donePublish', this.onDonePublish],
    ];
  }

  get port(): number {
    const addr = this.server?.tcpServer?.address();
    return addr && typeof addr === 'object' ? addr.port : this.opts.port;
  }

  /** Keys currently being pushed. */
  publishing(): string[] {
    return [...this.live];
  }

  streamUrl(key: string): string {
    if (!KEY.test(key)) throw new Error(`invalid RTMP stream key '${key}'`);
    return `rtmp://127.0.0.1:${this.port}/${this.app}/${key}`;
  }

  async start(): Promise<void> {
    if (slot.taken) throw new Error('an RTMP ingest server is already running in this process');
    slot.taken = true;
    logger.level = 'error';
    Context.config = { bind: this.opts.host ?? '127.0.0.1', rtmp: { port: this.opts.port } };
    const server = new NodeRtmpServer();
    const tcp = server.tcpServer!;
    try {
      // Listen ourselves: NMS's own run() exits the process when the port is taken.
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      slot.taken = false;
      throw err;
    }
    this.server = server;
    for (const [name, fn] of this.nmsHandlers) Context.eventEmitter.on(name, fn);
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const [name, fn] of this.nmsHandlers) Context.eventEmitter.off(name, fn);
    const tcp = this.server.tcpServer;
    this.server.stop();
    this.server = null;
    this.live.clear();
    if (tcp?.listening) await new Promise<void>((r) => tcp.once('close', () => r()));
    slot.taken = false;
  }

  private reject(session: NmsSession, reason: string): void {
    this.rejected.add(session.id);
    this.emit('rejected', { key: session.streamName, remoteAddress: session.ip, reason });
    session.close();
  }

  private onPrePublish = (session: NmsSession): void => {
    if (session.streamApp !== this.app) return this.reject(session, `unknown application '${session.streamApp}'`);
    if (!KEY.test(session.streamName)) return this.reject(session, 'invalid stream key');
    const allowed = this.opts.authorizePublish?.(session.streamName, session.streamQuery ?? {}) ?? true;
    if (!allowed) this.reject(session, 'stream key not allowed');
  };

  private onPostPublish = (session: NmsSession): void => {
    if (this.rejected.has(session.id)) return;
    this.live.add(session.streamName);
    this.emit('publish', { key: session.streamName, url: this.streamUrl(session.streamName), remoteAddress: session.ip });
  };

  private onDonePublish = (session: NmsSession): void => {
    if (this.rejected.delete(session.id)) return;
    if (!this.live.delete(session.streamName)) return;
    this.emit('unpublish', { key: session.streamName });
  };
}
