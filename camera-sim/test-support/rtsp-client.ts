// Minimal RTSP client for tests: requests with Digest auth, interleaved packet capture, raw bytes.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { parseAuthParams } from '../src/rtsp/digest';

export interface RtspResponse {
  status: number;
  reason: string;
  headers: Map<string, string>;
  body: string;
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export class TestRtspClient {
  readonly rtp: Buffer[] = [];
  readonly rtcp: Buffer[] = [];
  closed = false;
  private buf: Buffer = Buffer.alloc(0);
  private cseq = 0;
  private pending?: (r: RtspResponse) => void;
  private challenge?: Map<string, string>;
  private socket!: net.Socket;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly creds?: { username: string; password: string },
  ) {}

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket = net.connect(this.port, this.host, () => resolve());
      this.socket.once('error', reject);
      this.socket.on('data', (c: Buffer) => this.onData(c));
      this.socket.on('close', () => (this.closed = true));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  writeRaw(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Waits for the next response (after writeRaw). */
  nextResponse(timeoutMs = 5000): Promise<RtspResponse> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no RTSP response')), timeoutMs);
      this.pending = (r) => {
        clearTimeout(t);
        resolve(r);
      };
    });
  }

  async request(method: string, url: string, headers: Record<string, string> = {}): Promise<RtspResponse> {
    let r = await this.send(method, url, headers);
    if (r.status === 401 && this.creds) {
      this.challenge = parseAuthParams((r.headers.get('www-authenticate') ?? '').replace(/^Digest /i, ''));
      r = await this.send(method, url, headers);
    }
    return r;
  }

  /** DESCRIBE, SETUP (TCP interleaved or UDP client ports) and PLAY in one go; returns the session id. */
  async play(url: string, transport = 'RTP/AVP/TCP;unicast;interleaved=0-1'): Promise<string> {
    const d = await this.request('DESCRIBE', url, { Accept: 'application/sdp' });
    if (d.status !== 200) throw new Error(`DESCRIBE ${d.status}`);
    const s = await this.request('SETUP', `${url}/trackID=1`, { Transport: transport });
    if (s.status !== 200) throw new Error(`SETUP ${s.status}`);
    const session = (s.headers.get('session') ?? '').split(';')[0];
    const p = await this.request('PLAY', url, { Session: session, Range: 'npt=0.000-' });
    if (p.status !== 200) throw new Error(`PLAY ${p.status}`);
    return session;
  }

  private send(method: string, url: string, headers: Record<string, string>): Promise<RtspResponse> {
    const lines = [`${method} ${url} RTSP/1.0`, `CSeq: ${++this.cseq}`, 'User-Agent: qly-test'];
    if (this.creds && this.challenge) {
      const realm = this.challenge.get('realm') ?? '';
      const nonce = this.challenge.get('nonce') ?? '';
      const resp = md5(`${md5(`${this.creds.username}:${realm}:${this.creds.password}`)}:${nonce}:${md5(`${method}:${url}`)}`);
      lines.push(`Authorization: Digest username="${this.creds.username}", realm="${realm}", nonce="${nonce}", uri="${url}", response="${resp}"`);
    }
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    const wait = this.nextResponse();
    this.socket.write(lines.join('\r\n') + '\r\n\r\n');
    return wait;
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.buf.length && this.buf[0] === 0x24) {
        if (this.buf.length < 4) return;
        const len = this.buf.readUInt16BE(2);
        if (this.buf.length < 4 + len) return;
        (this.buf[1] % 2 === 0 ? this.rtp : this.rtcp).push(Buffer.from(this.buf.subarray(4, 4 + len)));
        this.buf = this.buf.subarray(4 + len);
        continue;
      }
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map<string, string>();
      for (const l of head.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
      }
      const len = Number(headers.get('content-length') ?? 0);
      if (this.buf.length < end + 4 + len) return;
      const body = this.buf.subarray(end + 4, end + 4 + len).toString('utf8');
      this.buf = this.buf.subarray(end + 4 + len);
      const m = /^RTSP\/1\.0 (\d{3}) ?(.*)$/.exec(head[0]);
      const r = { status: m ? Number(m[1]) : 0, reason: m?.[2] ?? '', headers, body };
      const p = this.pending;
      this.pending = undefined;
      p?.(r);
    }
  }
}

export function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (cond()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}
