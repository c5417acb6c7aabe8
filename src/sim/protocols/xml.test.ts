import { describe, expect, it } from 'vitest';
import { encodeElement, escapeXml, xmlText } from './xml.js';

const options = { memberNameOf: (field: string) => (field === 'Items' ? 'Item' : undefined) };

describe('escapeXml', () => {
  it('escapes markup characters and quotes', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
  });

  it('keeps a carriage return as a reference and replaces characters XML cannot carry', () => {
    expect(escapeXml('a\r\nb\tc\u0001d')).toBe('a&#13;\nb\tc\uFFFDd');
  });
});

describe('xmlText', () => {
  it('writes dates as ISO-8601, booleans and numbers as text', () => {
    expect(xmlText(new Date(Date.UTC(2026, 0, 5, 9, 30)))).toBe('2026-01-05T09:30:00.000Z');
    expect(xmlText(true)).toBe('true');
    expect(xmlText(false)).toBe('false');
    expect(xmlText(0)).toBe('0');
    expect(xmlText(2.5)).toBe('2.5');
    expect(xmlText(Number.NaN)).toBe('NaN');
    expect(() => xmlText(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('encodeElement', () => {
  it('nests structures, wraps list members, leaves out null and undefined', () => {
    const xml = encodeElement('Root', { A: 'x', B: undefined, C: null, Items: [{ N: 1 }, { N: 2 }], Names: ['p'], Empty: [] }, options);
    expect(xml).toBe('<Root><A>x</A><Items><Item><N>1</N></Item><Item><N>2</N></Item></Items><Names><member>p</member></Names><Empty></Empty></Root>');
  });

  it('uses the default member name it is given', () => {
    expect(encodeElement('Set', ['a'], { ...options, defaultMemberName: 'item' })).toBe('<Set><item>a</item></Set>');
  });
});
