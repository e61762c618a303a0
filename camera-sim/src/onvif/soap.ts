// SOAP 1.2 envelopes and faults as ONVIF devices send them (ONVIF Core §5.11 error codes).
import { escapeXml, parseXml, XmlRejected, type XmlNode } from './xml';

export const NS = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  d: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
};

export class SoapFault extends Error {
  constructor(
    readonly code: 'Sender' | 'Receiver',
    readonly subcodes: string[],
    readonly reason: string,
  ) {
    super(reason);
  }

  get httpStatus(): number {
    return this.code === 'Sender' ? 400 : 500;
  }
}

export const faults = {
  notAuthorized: () => new SoapFault('Sender', ['ter:NotAuthorized'], 'Sender not Authorized'),
  actionNotSupported: (action: string) => new SoapFault('Receiver', ['ter:ActionNotSupported'], `Optional Action Not Implemented: ${action}`),
  invalidArg: (sub: string, reason: string) => new SoapFault('Sender', ['ter:InvalidArgVal', `ter:${sub}`], reason),
  wellFormed: (reason: string) => new SoapFault('Sender', ['ter:WellFormed'], reason),
};

export interface SoapRequest {
  action: string;
  header: XmlNode | undefined;
  body: XmlNode;
}

export function parseSoapRequest(xml: string): SoapRequest {
  let doc: XmlNode;
  try {
    doc = parseXml(xml);
  } catch (err) {
    if (err instanceof XmlRejected) throw faults.wellFormed(err.message);
    throw err;
  }
  const env = doc.Envelope as XmlNode | undefined;
  if (!env || typeof env !== 'object') throw faults.wellFormed('not a SOAP envelope');
  if (!('Body' in env)) throw faults.wellFormed('SOAP envelope without a Body');
  const body = env.Body;
  const action = body && typeof body === 'object' ? Object.keys(body).find((k) => !k.startsWith('@_') && k !== '#text') : undefined;
  if (!action) throw faults.wellFormed('empty SOAP Body');
  const payload = (body as XmlNode)[action];
  return { action, header: (env.Header as XmlNode | undefined) || undefined, body: payload && typeof payload === 'object' ? (payload as XmlNode) : {} };
}

const ENVELOPE_OPEN = `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${NS.env}" xmlns:tds="${NS.tds}" xmlns:trt="${NS.trt}" xmlns:tptz="${NS.tptz}" xmlns:tt="${NS.tt}" xmlns:ter="${NS.ter}">`;

export function envelope(bodyXml: string): string {
  return `${ENVELOPE_OPEN}<SOAP-ENV:Header/><SOAP-ENV:Body>${bodyXml}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

export function faultEnvelope(f: SoapFault): string {
  let sub = '';
  for (const s of [...f.subcodes].reverse()) sub = `<SOAP-ENV:Subcode><SOAP-ENV:Value>${s}</SOAP-ENV:Value>${sub}</SOAP-ENV:Subcode>`;
  return envelope(
    `<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:${f.code}</SOAP-ENV:Value>${sub}</SOAP-ENV:Code>` +
      `<SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">${escapeXml(f.reason)}</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>`,
  );
}
