// Incremental RTSP/1.0 request parser (RFC 2326 §6) that also passes through interleaved
// `$`-framed packets (§10.12). Bad input becomes an error item with the status to answer.

export interface RtspRequest {
  method: string;
  uri: string;
  headers: Map<string, string>;
  body: Buffer;
  cseq: string;
}

export type ParsedItem =
  | { kind: 'request'; request: RtspRequest }
  | { kind: 'interleaved'; channel: number; data: Buffer }
  /** fatal: the byte stream can no longer be trusted, answer and close */
  | { kind: 'error'; status: number; reason: string; cseq?: string; fatal: boolean };

export const MAX_HEADER_BYTES = 8192;
export const MAX_BODY_BYTES = 65_536;
const MAX_HEADERS = 64;

export class RtspRequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private dead = false;

  push(chunk: Buffer): ParsedItem[] {
    if (this.dead) return [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const items: ParsedItem[] = [];
    for (;;) {
      const item = this.next();
      if (!item) break;
      items.push(item);
      if (item.kind === 'error' && item.fatal) {
        this.dead = true;
        break;
      }
    }
    return items;
  }

  private next(): ParsedItem | undefined {
    // Clients may send blank lines between requests (keep-alive pings from some NVRs).
    while (this.buf.length && (this.buf[0] === 0x0d || this.buf[0] === 0x0a)) this.buf = this.buf.subarray(1);
    if (this.buf.length === 0) return undefined;
    if (this.buf[0] === 0x24) {
      if (this.buf.length < 4) return undefined;
      const len = this.buf.readUInt16BE(2);
      if (this.buf.length < 4 + len) return undefined;
      const item: ParsedItem = { kind: 'interleaved', channel: this.buf[1], data: this.buf.subarray(4, 4 + len) };
      this.buf = this.buf.subarray(4 + len);
      return item;
    }
    const end = headerEnd(this.buf);
    if (!end) {
      if (this.buf.length > MAX_HEADER_BYTES) return { kind: 'error', status: 400, reason: 'Request Header Too Large', fatal: true };
      return undefined;
    }
    if (end.headerLen > MAX_HEADER_BYTES) return { kind: 'error', status: 400, reason: 'Request Header Too Large', fatal: true };
    const head = this.buf.subarray(0, end.headerLen).toString('latin1');
    const parsed = parseHead(head);
    if ('status' in parsed) {
      this.buf = this.buf.subarray(end.headerLen + end.sepLen);
      return { kind: 'error', ...parsed, fatal: false };
    }
    const lenHeader = parsed.headers.get('content-length') ?? '0';
    if (!/^\d{1,9}$/.test(lenHeader)) return { kind: 'error', status: 400, reason: 'Bad Content-Length', cseq: parsed.cseq, fatal: true };
    const bodyLen = Number(lenHeader);
    if (bodyLen > MAX_BODY_BYTES) return { kind: 'error', status: 413, reason: 'Request Entity Too Large', cseq: parsed.cseq, fatal: true };
    const total = end.headerLen + end.sepLen + bodyLen;
    if (this.buf.length < total) return undefined;
    const body = Buffer.from(this.buf.subarray(end.headerLen + end.sepLen, total));
    this.buf = this.buf.subarray(total);
    if (parsed.cseq === undefined) return { kind: 'error', status: 400, reason: 'Bad Request (missing or invalid CSeq)', fatal: false };
    return { kind: 'request', request: { ...parsed, cseq: parsed.cseq, body } };
  }
}

function headerEnd(buf: Buffer): { headerLen: number; sepLen: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return undefined;
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headerLen: crlf, sepLen: 4 };
  return { headerLen: lf, sepLen: 2 };
}

type Head = { method: string; uri: string; headers: Map<string, string>; cseq?: string };

function parseHead(head: string): Head | { status: number; reason: string; cseq?: string } {
  const lines = head.split(/\r?\n/);
  const headers = new Map<string, string>();
  if (lines.length - 1 > MAX_HEADERS) return { status: 400, reason: 'Too Many Headers' };
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return { status: 400, reason: 'Bad Request (malformed header)' };
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const rawCseq = headers.get('cseq');
  const cseq = rawCseq !== undefined && /^\d{1,10}$/.test(rawCseq) ? rawCseq : undefined;
  const m = /^([A-Za-z_]{1,32}) (\S{1,2048}) RTSP\/(\d)\.(\d)$/.exec(lines[0]);
  if (!m) return { status: 400, reason: 'Bad Request (malformed request line)', cseq };
  if (m[3] !== '1' || m[4] !== '0') return { status: 505, reason: 'RTSP Version Not Supported', cseq };
  return { method: m[1], uri: m[2], headers, cseq };
}
