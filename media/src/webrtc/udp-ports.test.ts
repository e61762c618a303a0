import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { freeUdpPorts } from './udp-ports';

describe('freeUdpPorts', () => {
  it('returns distinct ports that are free again for ffmpeg to bind', async () => {
    const ports = await freeUdpPorts(2, '127.0.0.1');
    expect(new Set(ports).size).toBe(2);
    for (const port of ports) {
      const s = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.bind(port, '127.0.0.1', resolve);
      });
      s.close();
    }
  });

  it('rejects an address this host does not have', async () => {
    await expect(freeUdpPorts(1, '192.0.2.1')).rejects.toThrow(/EADDRNOTAVAIL/);
  });
});
