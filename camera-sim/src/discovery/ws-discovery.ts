// WS-Discovery (2005/04) target service for all cameras of one simulator: answers Probe on
// 239.255.255.250:3702 with one ProbeMatch per camera, announces Hello on start and Bye on stop.
import dgram, { type Socket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { escapeXml as x, parseXml, child, text } from '../onvif/xml';
import { NS } from '../onvif/soap';

export const WSD_ADDRESS = '239.255.255.250';
export const WSD_PORT = 3702;
const TYPES = 'dn:NetworkVideoTransmitter tds:Device';
/** Spread replies over this window (the spec's APP_MAX_DELAY is 500 ms) so bursts are not dropped. */
const MAX_REPLY_DELAY_MS = 100;

export interface DiscoveryTarget {
  endpoint: string;
  scopes: string[];
  xaddrs: string[];
  /** offline cameras stay silent */
  answering(): boolean;
}

export class WsDiscovery {
  private socket?: Socket;
  private readonly instanceId = Math.floor(Date.now() / 1000);
  private messageNumber = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly host: string,
    private readonly targets: () => DiscoveryTarget[],
  ) {}

  async start(): Promise<void> {
    const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    this.socket = s;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(WSD_PORT, () => {
        s.off('error', reject);
        resolve();
      });
    });
    s.on('error', () => undefined);
    const iface = this.interfaceAddress();
    s.addMembership(WSD_ADDRESS, iface);
    s.setMulticastInterface(iface);
    s.setMulticastLoopback(true);
    s.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    for (const t of this.targets()) this.send(this.hello(t), WSD_PORT, WSD_ADDRESS);
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const s = this.socket;
    if (!s) return;
    this.socket = undefined;
    await Promise.all(this.targets().map((t) => new Promise<void>((resolve) => s.send(this.bye(t), WSD_PORT, WSD_ADDRESS, () => resolve()))));
    s.close();
  }

  private interfaceAddress(): string {
    // Cameras on loopback join the group on lo; the bootstrap's multicast route lets default-route probes reach it too.
    if (this.host === '0.0.0.0' || !isIP(this.host)) return '127.0.0.1';
    return this.host;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length > 64 * 1024) return;
    let doc;
    try {
      doc = parseXml(msg.toString('utf8'));
    } catch {
      return; // not ours to fault: WS-Discovery ignores what it cannot read
    }
    const env = child(doc, 'Envelope');
    const probe = child(child(env, 'Body'), 'Probe');
    if (!probe) return;
    const relatesTo = text(child(env, 'Header'), 'MessageID') ?? '';
    const wantedTypes = (text(probe, 'Types') ?? '').split(/\s+/).filter(Boolean).map((t) => t.split(':').pop()!);
    const wantedScopes = (text(probe, 'Scopes') ?? '').split(/\s+/).filter(Boolean);
    for (const t of this.targets()) {
      if (!t.answering()) continue;
      if (wantedTypes.length && !wantedTypes.some((w) => w === 'NetworkVideoTransmitter' || w === 'Device')) continue;
      if (!wantedScopes.every((w) => t.scopes.some((s) => s === w || s.startsWith(w.endsWith('/') ? w : `${w}/`)))) continue;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.send(this.probeMatch(t, relatesTo), rinfo.port, rinfo.address);
      }, Math.random() * MAX_REPLY_DELAY_MS);
      this.timers.add(timer);
    }
  }

  private send(xml: string, port: number, address: string): void {
    this.socket?.send(Buffer.from(xml), port, address);
  }

  private envelope(action: string, to: string, extraHeader: string, body: string): string {
    this.messageNumber += 1;
    return (
      `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.env}" xmlns:wsa="${NS.wsa}" xmlns:d="${NS.d}" xmlns:dn="${NS.dn}" xmlns:tds="${NS.tds}">` +
      `<SOAP-ENV:Header><wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID>${extraHeader}<wsa:To>${to}</wsa:To>` +
      `<wsa:Action>${NS.d}/${action}</wsa:Action><d:AppSequence InstanceId="${this.instanceId}" MessageNumber="${this.messageNumber}"/></SOAP-ENV:Header>` +
      `<SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`
    );
  }

  private description(t: DiscoveryTarget): string {
    return (
      `<wsa:EndpointReference><wsa:Address>${x(t.endpoint)}</wsa:Address></wsa:EndpointReference><d:Types>${TYPES}</d:Types>` +
      `<d:Scopes>${x(t.scopes.join(' '))}</d:Scopes><d:XAddrs>${x(t.xaddrs.join(' '))}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>`
    );
  }

  private probeMatch(t: DiscoveryTarget, relatesTo: string): string {
    return this.envelope(
      'ProbeMatches',
      'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous',
      `<wsa:RelatesTo>${x(relatesTo)}</wsa:RelatesTo>`,
      `<d:ProbeMatches><d:ProbeMatch>${this.description(t)}</d:ProbeMatch></d:ProbeMatches>`,
    );
  }

  private hello(t: DiscoveryTarget): string {
    return this.envelope('Hello', 'urn:schemas-xmlsoap-org:ws:2005:04:discovery', '', `<d:Hello>${this.description(t)}</d:Hello>`);
  }

  private bye(t: DiscoveryTarget): string {
    return this.envelope('Bye', 'urn:schemas-xmlsoap-org:ws:2005:04:discovery', '', `<d:Bye><wsa:EndpointReference><wsa:Address>${x(t.endpoint)}</wsa:Address></wsa:EndpointReference></d:Bye>`);
  }
}
