import dgram from 'node:dgram';

/**
 * Asks the OS for `count` free UDP ports on `ip` and releases them again. A restarted ffmpeg must
 * send from the same source ports: a comedia PlainTransport locks onto the first source it hears.
 * Another process could take a port between release and ffmpeg's bind; ffmpeg then fails to
 * start and its supervisor retries, so the race costs one restart, never a wrong stream.
 */
export async function freeUdpPorts(count: number, ip: string): Promise<number[]> {
  const sockets = Array.from({ length: count }, () => dgram.createSocket(ip.includes(':') ? 'udp6' : 'udp4'));
  try {
    return await Promise.all(
      sockets.map(
        (s) =>
          new Promise<number>((resolve, reject) => {
            s.once('error', reject);
            s.bind(0, ip, () => resolve(s.address().port));
          }),
      ),
    );
  } finally {
    for (const s of sockets) s.close();
  }
}
