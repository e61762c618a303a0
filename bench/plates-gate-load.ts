// Child process for bench/plates-gate.ts: the HTTP load generator, in its own process so its CPU
// does not come out of the server's (on 2 cores the server gets one, the generator the other).
// Input (argv[2], JSON): { url, key, plates, rate, seconds, serial, warmup }. Output (stdout): the
// line `open` when the open loop starts (the parent samples CPU there), then one JSON line of
// latencies (ms), status counts and this generator's own CPU during the open loop.
import net from 'node:net';

interface Job {
  url: string;
  key: string;
  plates: string[];
  /** Requests per second offered (open loop), for `seconds`. */
  rate: number;
  seconds: number;
  /** Requests sent one at a time before the open loop (service time without queueing). */
  serial: number;
  /** Requests before anything is measured, so the server's JIT has settled (steady state). */
  warmup: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const url = new URL(job.url);

type Done = (r: { status: number; ms: number }) => void;
interface Conn {
  socket: net.Socket;
  buf: Buffer;
  current: { started: number; done: Done } | null;
}

/**
 * A minimal keep-alive HTTP/1.1 client (one request in flight per connection, like a barrier's
 * controller): node:http's client cost the generator 1.15 of the box's 2 cores at 1 000/s, which
 * the server under test then lacked. This one only writes a prepared request and reads the status
 * line and Content-Length (Fastify always sends one for JSON).
 */
class LeanClient {
  private readonly idle: Conn[] = [];
  private readonly queue: { bytes: Buffer; started: number; done: Done }[] = [];
  private open = 0;

  constructor(private readonly maxSockets: number) {}

  post(body: string): Promise<{ status: number; ms: number }> {
    const len = Buffer.byteLength(body);
    const bytes = Buffer.from(`POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nX-Device-Key: ${job.key}\r\nContent-Length: ${len}\r\n\r\n${body}`);
    return new Promise((done) => {
      this.queue.push({ bytes, started: performance.now(), done });
      this.pump();
    });
  }

  destroy(): void {
    for (const c of this.idle) c.socket.destroy();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const conn = this.idle.pop() ?? (this.open < this.maxSockets ? this.connect() : null);
      if (!conn) return;
      const next = this.queue.shift()!;
      conn.current = { started: next.started, done: next.done };
      conn.socket.write(next.bytes);
    }
  }

  private connect(): Conn {
    this.open++;
    const conn: Conn = { socket: net.connect({ host: url.hostname, port: Number(url.port), noDelay: true }), buf: Buffer.alloc(0), current: null };
    conn.socket.on('data', (chunk: Buffer) => {
      conn.buf = conn.buf.length ? Buffer.concat([conn.buf, chunk]) : chunk;
      const headEnd = conn.buf.indexOf('\r\n\r\n');
      if (headEnd < 0 || !conn.current) return;
      const head = conn.buf.subarray(0, headEnd).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
      if (!Number.isFinite(length)) return void conn.socket.destroy(); // counted as an error
      if (conn.buf.length < headEnd + 4 + length) return;
      const { started, done } = conn.current;
      conn.buf = conn.buf.subarray(headEnd + 4 + length);
      conn.current = null;
      this.idle.push(conn);
      done({ status: Number(head.slice(9, 12)), ms: performance.now() - started });
      this.pump();
    });
    const lost = () => {
      this.open--;
      const i = this.idle.indexOf(conn);
      if (i >= 0) this.idle.splice(i, 1);
      conn.current?.done({ status: 0, ms: performance.now() - conn.current.started });
      conn.current = null;
      this.pump();
    };
    conn.socket.on('error', () => conn.socket.destroy());
    conn.socket.on('close', lost);
    return conn;
  }
}

const client = new LeanClient(256);
const post = (body: string) => client.post(body);

const plate = (i: number) => job.plates[i % job.plates.length];
// Warm-up, 8 at a time (the server's hot code gets optimised before anything is measured).
for (let i = 0; i < job.warmup; i += 8) await Promise.all(Array.from({ length: 8 }, (_, k) => post(JSON.stringify({ plate: plate(i + k) }))));
const serial: number[] = [];
for (let i = 0; i < job.serial; i++) serial.push((await post(JSON.stringify({ plate: plate(i) }))).ms);

// Open loop: requests leave on schedule whether or not earlier ones returned.
process.stdout.write('open\n');
const cpuBefore = process.cpuUsage();
const results: Promise<{ status: number; ms: number }>[] = [];
const total = job.rate * job.seconds;
const began = performance.now();
let sent = 0;
while (sent < total) {
  const due = Math.min(total, Math.floor(((performance.now() - began) / 1000) * job.rate));
  for (; sent < due; sent++) results.push(post(JSON.stringify({ plate: plate(sent), idempotencyKey: `bench-${process.pid}-${sent}` })));
  await new Promise((r) => setTimeout(r, 1));
}
const done = await Promise.all(results);
const elapsed = (performance.now() - began) / 1000;
const cpu = process.cpuUsage(cpuBefore);
client.destroy();
process.stdout.write(`${JSON.stringify({ serial, open: done.map((d) => d.ms), errors: done.filter((d) => d.status !== 200).length, elapsed, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
