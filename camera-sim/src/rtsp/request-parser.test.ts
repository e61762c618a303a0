import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, RtspRequestParser } from './request-parser';

const parse = (...chunks: string[]): ReturnType<RtspRequestParser['push']> => {
  const p = new RtspRequestParser();
  return chunks.flatMap((c) => p.push(Buffer.from(c, 'latin1')));
};

describe('RtspRequestParser', () => {
  it('parses pipelined requests split across chunks, with bodies', () => {
    const items = parse('OPTIONS rtsp://h/main RTSP/1.0\r\nCSeq: 1\r\n\r\nSET_PARAMETER rtsp://h/main RTSP/1.0\r\nCSe', 'q: 2\r\nContent-Length: 4\r\n\r\nab', 'cd');
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ kind: 'request', request: { method: 'OPTIONS', uri: 'rtsp://h/main', cseq: '1' } });
    expect(items[1].kind === 'request' && items[1].request.body.toString()).toBe('abcd');
  });

  it('passes interleaved packets through between requests', () => {
    const p = new RtspRequestParser();
    const items = p.push(Buffer.concat([Buffer.from([0x24, 1, 0, 3, 9, 8, 7]), Buffer.from('GET_PARAMETER rtsp://h/ RTSP/1.0\r\nCSeq: 9\r\n\r\n')]));
    expect(items[0]).toMatchObject({ kind: 'interleaved', channel: 1 });
    expect(items[1]).toMatchObject({ kind: 'request', request: { method: 'GET_PARAMETER' } });
  });

  it('reports missing and malformed CSeq, bad request lines and versions without dying', () => {
    const items = parse('OPTIONS * RTSP/1.0\r\n\r\n', 'OPTIONS * RTSP/1.0\r\nCSeq: -1\r\n\r\n', 'garbage\r\n\r\n', 'OPTIONS * RTSP/1.1\r\nCSeq: 4\r\n\r\n', 'OPTIONS * RTSP/1.0\r\nno colon here\r\nCSeq: 5\r\n\r\n', 'OPTIONS * RTSP/1.0\r\nCSeq: 6\r\n\r\n');
    expect(items.map((i) => (i.kind === 'error' ? i.status : i.kind))).toEqual([400, 400, 400, 505, 400, 'request']);
    expect(items[3]).toMatchObject({ cseq: '4', fatal: false });
  });

  it('refuses huge headers and bodies as fatal', () => {
    expect(parse(`OPTIONS * RTSP/1.0\r\nX: ${'a'.repeat(9000)}`)).toEqual([expect.objectContaining({ kind: 'error', status: 400, fatal: true })]);
    expect(parse(`ANNOUNCE * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`)).toEqual([expect.objectContaining({ status: 413, fatal: true })]);
    expect(parse('ANNOUNCE * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: -5\r\n\r\n')).toEqual([expect.objectContaining({ status: 400, fatal: true })]);
    const p = new RtspRequestParser();
    p.push(Buffer.from(`OPTIONS * RTSP/1.0\r\nX: ${'a'.repeat(9000)}`));
    expect(p.push(Buffer.from('OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n'))).toEqual([]);
  });
});
