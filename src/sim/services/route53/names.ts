import { isIPv4, isIPv6 } from 'node:net';

/**
 * DNS names as Route 53 keeps them: lower-case, fully qualified with the
 * trailing dot, a wildcard label stored as `*` and shown as `\052` (Route 53
 * escapes it in every response).
 */

/** Why a name is not a valid domain name, or undefined. */
export function nameProblem(raw: string): string | undefined {
  const name = unescapeName(raw);
  if (name === '' || name === '.') return 'the name is empty';
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length > 254) return 'the name is longer than 255 characters';
  for (const label of bare.split('.')) {
    if (label === '') return 'a label is empty';
    if (label.length > 63) return `the label ${label.slice(0, 16)}… is longer than 63 characters`;
    if (/[\s\u0000-\u001f\u007f-\uffff]/.test(label)) return `the label ${label} has a character Route 53 does not accept`;
  }
  return undefined;
}

/** `\052` and other `\ddd` escapes to the characters they stand for. */
function unescapeName(raw: string): string {
  return raw.replace(/\\(\d{3})/g, (_, code: string) => String.fromCharCode(Number.parseInt(code, 8)));
}

/** Lower-case and fully qualified; call nameProblem first. */
export function normalizeName(raw: string): string {
  const name = unescapeName(raw).toLowerCase();
  return name.endsWith('.') ? name : `${name}.`;
}

/** The name as Route 53 writes it in responses. */
export function wireName(name: string): string {
  return name.replace(/\*/g, '\\052');
}

/** `www.example.com.` → `com.example.www`: the order ListResourceRecordSets and ListHostedZonesByName use. */
export function reversedName(name: string): string {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  return bare.split('.').reverse().join('.');
}

export function compareNames(a: string, b: string): number {
  const ra = reversedName(a);
  const rb = reversedName(b);
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

/** `name` is the zone apex or below it. */
export function isWithin(name: string, zoneName: string): boolean {
  return name === zoneName || name.endsWith(`.${zoneName}`);
}

/** The wildcard name that would cover `name` one level up (`a.b.example.com.` → `*.b.example.com.`). */
export function wildcardFor(name: string): string | undefined {
  const dot = name.indexOf('.');
  if (dot < 0 || dot === name.length - 1) return undefined;
  return `*${name.slice(dot)}`;
}

/** Route 53's complaint about one record value, or undefined when it is fine. */
export function valueProblem(type: string, value: string): string | undefined {
  const fatal = (code: string, what: string) => `Invalid Resource Record: 'FATAL problem: ${code} (${what}) encountered with '${value}''`;
  switch (type) {
    case 'A':
      return isIPv4(value) ? undefined : fatal('ARRDATAIllegalIPv4Address', 'Value is not a valid IPv4 address');
    case 'AAAA':
      return isIPv6(value) ? undefined : fatal('AAAARRDATAIllegalIPv6Address', 'Value is not a valid IPv6 address');
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return nameProblem(value) === undefined ? undefined : fatal('DomainLabelEmpty', 'Domain label is empty');
    case 'TXT':
    case 'SPF':
      return /^(\s*"([^"\\]|\\.)*"\s*)+$/.test(value) ? undefined : fatal('InvalidCharacterString', 'Value should be enclosed in quotation marks');
    case 'MX':
      return /^\d{1,5}\s+\S+$/.test(value.trim()) ? undefined : fatal('MXRRDATANotTwoFields', 'MX record must have a priority and a mail server');
    default:
      return value.trim() === '' ? fatal('EmptyValue', 'Value is empty') : undefined;
  }
}

/** Health checks need an address the internet can reach. */
export function isPublicIPv4(address: string): boolean {
  if (!isIPv4(address)) return false;
  const [a, b] = address.split('.').map(Number) as [number, number, number, number];
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  return true;
}
