/**
 * XML as AWS's Query-family services write it: elements only (no
 * attributes besides the root's namespace), text escaped, timestamps as
 * ISO-8601, booleans as `true`/`false`. Knows nothing of any one service;
 * which element name wraps a list's members comes from the caller.
 */

/**
 * What an operation's output may hold before it goes on the wire. `undefined`
 * and `null` members are left out; `Date` is rendered as ISO-8601.
 */
export type XmlValue = string | number | boolean | Date | null | undefined | readonly XmlValue[] | { readonly [key: string]: XmlValue };

export interface XmlEncodeOptions {
  /**
   * The element that wraps each member of the list held by `field` inside
   * the element `parent`, e.g. `DBInstances` → `DBInstance`. Lists it does
   * not name use `defaultMemberName`.
   */
  memberNameOf(field: string, parent: string | undefined): string | undefined;
  /** `member` for awsQuery; EC2's query variant uses `item`. */
  defaultMemberName?: string;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escape text for element content or an attribute value. Characters XML 1.0
 * cannot carry at all (most C0 controls) become U+FFFD: a parser would
 * otherwise reject the whole response, not just the one value. A carriage
 * return is written as a reference because parsers normalise a literal one
 * to a line feed.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => escapes[c]!)
    .replace(/\r/g, '&#13;')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

/** The text form of a scalar, as the SDK's string deserializer expects it. */
export function xmlText(value: string | number | boolean | Date): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('cannot render an invalid Date as XML');
    return value.toISOString();
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    return String(value);
  }
  return String(value);
}

function isScalar(value: XmlValue): value is string | number | boolean | Date {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date;
}

/** `<name>…</name>` for one value (a scalar's text, a structure's members, a list's members) inside `parent`. */
export function encodeElement(name: string, value: XmlValue, options: XmlEncodeOptions, parent?: string): string {
  if (value === undefined || value === null) return '';
  if (isScalar(value)) return `<${name}>${escapeXml(xmlText(value))}</${name}>`;
  return `<${name}>${encodeContent(name, value, options, parent)}</${name}>`;
}

/** The children of the element `name` (inside `parent`) holding `value`. */
export function encodeContent(name: string, value: XmlValue, options: XmlEncodeOptions, parent?: string): string {
  if (value === undefined || value === null) return '';
  if (isScalar(value)) return escapeXml(xmlText(value));
  if (isList(value)) {
    const member = options.memberNameOf(name, parent) ?? options.defaultMemberName ?? 'member';
    return value.map((item) => encodeElement(member, item, options, name)).join('');
  }
  let out = '';
  for (const [key, item] of Object.entries(value)) out += encodeElement(key, item, options, name);
  return out;
}

function isList(value: XmlValue): value is readonly XmlValue[] {
  return Array.isArray(value);
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
