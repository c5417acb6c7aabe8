import { describe, expect, it } from 'vitest';
import { scriptSafeJson } from './data-island.js';

describe('scriptSafeJson', () => {
  const hostile = {
    name: '</script><script>alert(1)</script>',
    comment: '<!-- <script>',
    cdata: ']]> & &amp;',
    separators: 'a\u2028b\u2029c',
    unicode: 'ü — ✘ 😀',
  };

  it('leaves no markup and no line separators in the text', () => {
    const text = scriptSafeJson(hostile);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toContain('\\u003c/script\\u003e');
  });

  it('reads back unchanged with JSON.parse', () => {
    expect(JSON.parse(scriptSafeJson(hostile))).toEqual(hostile);
  });
});
