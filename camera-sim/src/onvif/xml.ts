// Safe XML in and out: DOCTYPE and entity declarations are refused before parsing, and the parser
// never expands entities, so XXE and "billion laughs" cannot happen.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

export class XmlRejected extends Error {}

export function parseXml(text: string): XmlNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlRejected('DTDs and entity declarations are not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlRejected(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  return parser.parse(text) as XmlNode;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

/** Child element by local name (namespace prefixes are already stripped). */
export function child(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  if (Array.isArray(v)) return v[0] as XmlNode;
  if (v && typeof v === 'object') return v as XmlNode;
  if (typeof v === 'string') return { '#text': v };
  return undefined;
}

export function text(node: unknown, name?: string): string | undefined {
  const n = name === undefined ? node : (node as XmlNode | undefined)?.[name];
  if (typeof n === 'string') return n;
  if (Array.isArray(n)) return text(n[0]);
  if (n && typeof n === 'object') {
    const t = (n as XmlNode)['#text'];
    return typeof t === 'string' ? t : t === undefined ? '' : String(t);
  }
  return undefined;
}

export function attr(node: unknown, name: string): string | undefined {
  const v = (node as XmlNode | undefined)?.[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}
