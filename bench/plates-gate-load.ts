// Child process for bench/plates-gate.ts: the HTTP load generator, in its own process so its CPU
// does not come out of the server's (on 2 cores the server gets one, the generator the other).
// Input (argv[2], JSON): { url, key, plates, rate, seconds, serial, warmup }. Output (stdout): the
// line `open` when the open loop starts (the parent samples CPU there), then one JSON line of
// latencies (ms), status counts and this generator's own CPU during the open loop.
import http from 'node:http';

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
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(body: string): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-device-key': job.key, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(body);
  });
}

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
agent.destroy();
process.stdout.write(`${JSON.stringify({ serial, open: done.map((d) => d.ms), errors: done.filter((d) => d.status !== 200).length, elapsed, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
