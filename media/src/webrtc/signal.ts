// Transport-agnostic WebRTC signalling for one client connection: the server calls
// handleSignal(session, message) for each request arriving on its authenticated /api/ws and
// session.close() when the socket goes away. Every parameter is validated here; a bad request
// gets a SignalError (code + message) and changes nothing.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { types as ms } from 'mediasoup';
import type { Sfu } from './sfu';
import type { StreamRoom } from './stream-room';
import { Viewer, ViewerError } from './viewer';

export type SignalErrorCode = 'bad-request' | 'forbidden' | 'not-found' | 'unsupported' | 'busy';

export class SignalError extends Error {
  override readonly name = 'SignalError';
  constructor(
    readonly code: SignalErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' });
const Fingerprint = Type.Object(
  {
    algorithm: Type.Union(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512'].map((a) => Type.Literal(a))),
    // Colon-separated hex bytes, at most SHA-512's 64.
    value: Type.String({ pattern: '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){0,63}$' }),
  },
  { additionalProperties: false },
);
const DtlsParameters = Type.Object(
  {
    role: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('client'), Type.Literal('server')])),
    fingerprints: Type.Array(Fingerprint, { minItems: 1, maxItems: 8 }),
  },
  { additionalProperties: false },
);
// Shape and size only; mediasoup's ORTC validation checks the contents in canConsume/consume.
const RtpCapabilities = Type.Object({
  codecs: Type.Array(Type.Object({ mimeType: Type.String({ maxLength: 64 }), kind: Type.String({ maxLength: 8 }) }), { maxItems: 64 }),
  headerExtensions: Type.Optional(Type.Array(Type.Object({ uri: Type.String({ maxLength: 256 }) }), { maxItems: 64 })),
});

const Methods = {
  getRouterRtpCapabilities: Type.Object({}),
  createTransport: Type.Object({ streamId: Id }),
  connectTransport: Type.Object({ transportId: Id, dtlsParameters: DtlsParameters }),
  consume: Type.Object({ transportId: Id, rtpCapabilities: RtpCapabilities }),
  resume: Type.Object({ transportId: Id }),
  getStats: Type.Object({ transportId: Id }),
  close: Type.Object({ transportId: Id }),
} satisfies Record<string, TSchema>;

export type SignalMethod = keyof typeof Methods;
export type SignalParams<M extends SignalMethod> = Static<(typeof Methods)[M]>;

export interface SignalSessionOptions {
  /** May this connection watch this stream? The server's role and schedule checks go here. */
  authorize: (streamId: string) => boolean | Promise<boolean>;
  /** The live room for a stream; the server may start the ingest on demand here. Default: already open rooms. */
  resolveStream?: (streamId: string) => StreamRoom | undefined | Promise<StreamRoom | undefined>;
  /** Open viewers one connection may hold (a 16-tile wall needs 16). */
  maxViewers?: number;
}

export class SignalSession {
  private readonly viewers = new Map<string, Viewer>();
  private closed = false;
  private readonly handlers: { [M in SignalMethod]: (params: SignalParams<M>) => unknown } = {
    getRouterRtpCapabilities: () => this.sfu.rtpCapabilities,
    createTransport: (p) => this.createTransport(p.streamId),
    connectTransport: async (p) => {
      await this.viewer(p.transportId).connect(p.dtlsParameters as ms.DtlsParameters);
      return {};
    },
    consume: (p) => this.viewer(p.transportId).consume(p.rtpCapabilities as unknown as ms.RtpCapabilities),
    resume: async (p) => {
      await this.viewer(p.transportId).resume();
      return {};
    },
    getStats: (p) => this.viewer(p.transportId).stats(),
    close: (p) => {
      this.viewer(p.transportId).close();
      return {};
    },
  };

  constructor(
    private readonly sfu: Sfu,
    private readonly options: SignalSessionOptions,
  ) {}

  get viewerCount(): number {
    return this.viewers.size;
  }

  async handle(message: unknown): Promise<unknown> {
    if (this.closed) throw new SignalError('bad-request', 'signalling session is closed');
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new SignalError('bad-request', 'a signal is an object { method, params }');
    }
    const { method, params = {} } = message as { method?: unknown; params?: unknown };
    if (typeof method !== 'string' || !Object.hasOwn(Methods, method)) {
      throw new SignalError('bad-request', `unknown method ${JSON.stringify(method)}; expected one of ${Object.keys(Methods).join(', ')}`);
    }
    const schema = Methods[method as SignalMethod];
    if (!Value.Check(schema, params)) {
      const first = Value.Errors(schema, params).First();
      throw new SignalError('bad-request', `${method}: invalid params${first ? ` at ${first.path || '/'}: ${first.message}` : ''}`);
    }
    try {
      return await (this.handlers[method as SignalMethod] as (p: unknown) => unknown)(params);
    } catch (err) {
      if (err instanceof SignalError) throw err;
      if (err instanceof ViewerError) throw new SignalError(err.code, err.message);
      // mediasoup rejects malformed capabilities/DTLS parameters with TypeError.
      if (err instanceof TypeError) throw new SignalError('bad-request', `${method}: ${err.message}`);
      throw err;
    }
  }

  /** Closes every viewer of this connection (call when the socket closes). */
  close(): void {
    this.closed = true;
    for (const v of [...this.viewers.values()]) v.close();
  }

  private async createTransport(streamId: string): Promise<unknown> {
    const max = this.options.maxViewers ?? 32;
    if (this.viewers.size >= max) throw new SignalError('busy', `at most ${max} streams per connection`);
    if (!(await this.options.authorize(streamId))) throw new SignalError('forbidden', `not allowed to watch stream ${streamId}`);
    const room = await (this.options.resolveStream ?? ((id: string) => this.sfu.getStream(id)))(streamId);
    if (!room || room.closed) throw new SignalError('not-found', `stream ${streamId} is not live`);
    let viewer: Viewer;
    try {
      viewer = await room.addViewer();
    } catch (err) {
      throw new SignalError('busy', err instanceof Error ? err.message : String(err));
    }
    // The socket may have closed while the transport was being made.
    if (this.closed) {
      viewer.close();
      throw new SignalError('bad-request', 'signalling session is closed');
    }
    this.viewers.set(viewer.id, viewer);
    viewer.once('close', () => this.viewers.delete(viewer.id));
    return viewer.transportParams;
  }

  private viewer(transportId: string): Viewer {
    const v = this.viewers.get(transportId);
    if (!v) throw new SignalError('not-found', `no transport ${transportId} on this connection`);
    return v;
  }
}

/** The entry point the server's /api/ws handler calls for each signalling request. */
export function handleSignal(session: SignalSession, message: unknown): Promise<unknown> {
  return session.handle(message);
}
