// An even/odd UDP port pair for RTP and RTCP (RFC 3550 §11), as server_port in SETUP replies.
import dgram, { type Socket } from 'node:dgram';

const ATTEMPTS = 50;

function bind(port: number, host: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(undefined);
    });
    s.bind(port, host, () => {
      s.removeAllListeners('error');
      resolve(s);
    });
  });
}

export async function bindPortPair(host: string): Promise<{ rtp: Socket; rtcp: Socket }> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const rtp = await bind(0, host);
    if (!rtp) continue;
    const port = rtp.address().port;
    if (port % 2 === 0) {
      const rtcp = await bind(port + 1, host);
      if (rtcp) return { rtp, rtcp };
    }
    rtp.close();
  }
  throw new Error(`no free UDP port pair on ${host} after ${ATTEMPTS} attempts`);
}
