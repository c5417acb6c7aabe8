/**
 * JSON inside a <script type="application/json">: the HTML parser ends a
 * script at the first `</script` whatever the JSON means, and `<!--` can
 * switch it into a mode where `</script>` no longer ends it. Escaping every
 * `<`, `>` and `&` as \u003c… leaves no markup at all in the text, and
 * U+2028/U+2029 are escaped so the text is also valid inside a JavaScript
 * string for older readers. JSON.parse reads all of these back unchanged.
 */
const UNSAFE = /[<>&\u2028\u2029]/g;

export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
