import { describe, expect, it } from 'vitest';
import { faultEnvelope, faults, parseSoapRequest, SoapFault } from './soap';

const wrap = (body: string): string => `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${body}</s:Body></s:Envelope>`;

function faultOf(xml: string): SoapFault {
  try {
    parseSoapRequest(xml);
  } catch (err) {
    if (err instanceof SoapFault) return err;
    throw err;
  }
  throw new Error('no fault');
}

describe('SOAP parsing', () => {
  it('finds the action and its body, ignoring namespace prefixes', () => {
    const r = parseSoapRequest(wrap('<trt:GetStreamUri xmlns:trt="http://www.onvif.org/ver10/media/wsdl"><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetStreamUri>'));
    expect(r.action).toBe('GetStreamUri');
    expect(r.body.ProfileToken).toBe('Profile_1');
  });

  it('faults DOCTYPE, entities, malformed XML and envelopes without a body', () => {
    expect(faultOf(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${wrap('<A>&e;</A>')}`).subcodes).toContain('ter:WellFormed');
    expect(faultOf(`<!doctype x>${wrap('<A/>')}`).code).toBe('Sender');
    expect(faultOf('<s:Envelope><s:Body><A></s:Body>').reason).toMatch(/malformed/);
    expect(faultOf('<Envelope><Header/></Envelope>').reason).toMatch(/Body/);
    expect(faultOf(wrap('')).reason).toMatch(/empty/);
    expect(faultOf('<Other/>').reason).toMatch(/envelope/);
  });

  it('leaves undeclared entity references unexpanded', () => {
    const r = parseSoapRequest(wrap('<A>&amp;&lt;&unknown;</A>'));
    expect(String(r.body['#text'] ?? r.body)).not.toContain('<');
  });

  it('writes SOAP 1.2 faults with nested ONVIF subcodes', () => {
    const xml = faultEnvelope(faults.invalidArg('NoProfile', 'no profile "<x>"'));
    expect(xml).toContain('<SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>ter:InvalidArgVal</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>ter:NoProfile</SOAP-ENV:Value>');
    expect(xml).toContain('no profile &quot;&lt;x&gt;&quot;');
  });
});
