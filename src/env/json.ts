/**
 * Where a JSON text stops being JSON, and why. Called only after JSON.parse
 * has refused the text: Node's own messages give an offset only sometimes
 * (and differ between versions), while a template author needs the line.
 * Mistakes are placed at their cause: a missing comma after the value that
 * lacks it, a trailing comma on the comma, an unclosed string at its quote.
 */
export function jsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  try {
    new JsonScanner(text).document();
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { offset: error.offset, message: error.message };
    throw error;
  }
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonScanner {
  private at = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.space();
    if (this.at >= this.text.length) this.fail('the file is empty; expected a JSON object');
    this.value();
    this.space();
    if (this.at < this.text.length) this.fail(`unexpected ${this.show()} after the end of the JSON value`);
  }

  private value(): void {
    this.space();
    const c = this.text[this.at];
    if (c === undefined) this.fail('unexpected end of file: a value is missing');
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return;
      }
    }
    this.fail(`unexpected ${this.show()}: expected a value (object, list, string in double quotes, number, true, false or null)`);
  }

  private object(): void {
    this.at++;
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') {
        if (this.at >= this.text.length) this.fail('unexpected end of file: an object is missing its closing }');
        this.fail(`expected a property name in double quotes, got ${this.show()}`);
      }
      this.string();
      this.space();
      if (this.text[this.at] !== ':') this.fail(`expected ":" after the property name, got ${this.show()}`);
      this.at++;
      this.value();
      if (this.separator('}')) return;
    }
  }

  private array(): void {
    this.at++;
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    for (;;) {
      this.value();
      if (this.separator(']')) return;
    }
  }

  /** After a member: true at the closing bracket, false after a comma with more to come. */
  private separator(close: '}' | ']'): boolean {
    const valueEnd = this.at;
    this.space();
    const c = this.text[this.at];
    if (c === close) {
      this.at++;
      return true;
    }
    if (c === ',') {
      const comma = this.at;
      this.at++;
      this.space();
      if (this.text[this.at] === close) this.fail(`trailing comma: JSON allows no comma before ${close}`, comma);
      return false;
    }
    if (c === undefined) this.fail(`unexpected end of file: missing ${close}`);
    if (c === '"' || c === '{' || c === '[') this.fail(`missing "," after this value`, valueEnd);
    this.fail(`expected "," or "${close}", got ${this.show()}`);
  }

  private string(): void {
    const start = this.at;
    this.at++;
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) this.fail('unclosed string: no closing " before the end of the file', start);
      if (c === '"') {
        this.at++;
        return;
      }
      if (c === '\n' || c === '\r') this.fail('unclosed string: a JSON string cannot span lines (write \\n)', start);
      if (c < ' ') this.fail('control character in a string; escape it', this.at);
      if (c === '\\') {
        const escape = this.text[this.at + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) this.fail('bad \\u escape: expected four hex digits');
          this.at += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) this.fail(`bad escape \\${escape ?? ''} in a string`);
        this.at += 2;
        continue;
      }
      this.at++;
    }
  }

  private number(): void {
    numberPattern.lastIndex = this.at;
    const match = numberPattern.exec(this.text);
    if (!match) this.fail(`bad number starting with ${this.show()}`);
    this.at += match[0].length;
  }

  private space(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at]!)) this.at++;
  }

  private show(): string {
    const c = this.text[this.at];
    return c === undefined ? 'the end of the file' : JSON.stringify(c);
  }

  private fail(message: string, offset = this.at): never {
    throw new JsonSyntaxError(offset, message);
  }
}
