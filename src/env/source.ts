import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { EnvironmentProblem } from './types.js';

/** A path into a parsed document: map keys and list indices, as zod reports them. */
export type DocPath = readonly PropertyKey[];

interface Located {
  offset: number;
  /** How many segments of the path exist in the document. */
  depth: number;
}

/**
 * A YAML (or JSON) text with positions: turns document paths into
 * `file:line:column` problems. Used for environment files and for the FIS
 * templates they reference (JSON is YAML's flow style, so one locator serves
 * both).
 */
export class SourceText {
  private constructor(
    readonly file: string,
    readonly text: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parse `text`; YAML syntax errors and warnings come back as problems, positioned at their cause. */
  static parse(file: string, text: string): { source: SourceText; problems: EnvironmentProblem[] } {
    const lines = new LineCounter();
    // prettyErrors off: its messages embed a source excerpt; ours are one line per problem.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const source = new SourceText(file, text, doc, lines);
    return { source, problems: source.syntaxProblems() };
  }

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line, column: col };
  }

  problemAtOffset(offset: number, path: DocPath, message: string): EnvironmentProblem {
    return { file: this.file, ...this.position(offset), path: formatPath(path), message };
  }

  /**
   * A problem at `path`. It points at the key of the innermost map entry the
   * path reaches (or the list item), which is the line a reader looks for;
   * the path shown is the part that exists in the document, so a missing
   * key's message must name the key itself.
   */
  problem(path: DocPath, message: string): EnvironmentProblem {
    const { offset, depth } = this.locate(path);
    return this.problemAtOffset(offset, path.slice(0, depth), message);
  }

  private locate(path: DocPath): Located {
    const { keyOffset, node, depth } = this.walk(path);
    return { offset: keyOffset ?? node?.range?.[0] ?? 0, depth };
  }

  private walk(path: DocPath): { node: Node | undefined; keyOffset: number | undefined; depth: number } {
    let node = this.resolve(this.doc.contents);
    let keyOffset: number | undefined;
    let depth = 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
        node = this.resolve(pair.value as Node | null);
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = this.resolve(node.items[segment] as Node | null);
        if (!item) break;
        keyOffset = item.range?.[0];
        node = item;
      } else {
        break;
      }
      depth++;
    }
    return { node, keyOffset, depth };
  }

  private resolve(node: Node | null | undefined): Node | undefined {
    if (isAlias(node)) return node.resolve(this.doc) ?? undefined;
    return node ?? undefined;
  }

  private syntaxProblems(): EnvironmentProblem[] {
    const problems: EnvironmentProblem[] = [];
    const lines = new Set<number>();
    for (const error of [...this.doc.errors, ...this.doc.warnings]) {
      // One mistake often raises several errors on its line and the next (a
      // mis-indented key is also a "multiline implicit key"); report the first.
      const original = this.position(error.pos[0]).line;
      if (lines.has(original)) continue;
      const { offset, message } = this.explain(error.code, error.message, error.pos);
      const line = this.position(offset).line;
      if (lines.has(line)) continue;
      lines.add(original).add(line);
      problems.push(this.problemAtOffset(offset, [], message));
    }
    problems.push(...this.structureProblems());
    return problems;
  }

  /**
   * The yaml package reports some mistakes where it noticed them, not where
   * they are: an unclosed quote at the end of the file, an over-indented line
   * at the line before it. Move those to the cause.
   */
  private explain(code: string, message: string, pos: [number, number]): { offset: number; message: string } {
    switch (code) {
      case 'MISSING_CHAR': {
        const quote = /closing (["'])quote/.exec(message)?.[1];
        if (!quote) break;
        const opening = this.openingQuoteBefore(pos[0], quote);
        const kind = quote === '"' ? 'double' : 'single';
        return { offset: opening ?? pos[0], message: `unclosed ${kind} quote: the string that starts here has no closing ${quote}` };
      }
      case 'TAB_AS_INDENT':
        return { offset: pos[0], message: 'a tab is used for indentation; YAML allows only spaces' };
      case 'BAD_INDENT':
        return { offset: this.firstNonBlank(pos[0]), message: `bad indentation: ${lowerFirst(message)}` };
      case 'MULTILINE_IMPLICIT_KEY':
      case 'BLOCK_AS_IMPLICIT_KEY': {
        const start = this.position(pos[0]).line;
        const deeper = this.overIndentedLineAfter(start);
        if (deeper !== undefined) {
          return {
            offset: deeper,
            message: 'bad indentation: this line is indented deeper than its siblings, so YAML reads it as part of the value above',
          };
        }
        break;
      }
      case 'DUPLICATE_KEY': {
        const duplicate = this.duplicateKeyAt(pos[0]);
        if (!duplicate) break;
        const first = duplicate.firstOffset === undefined ? '' : ` (first on line ${this.position(duplicate.firstOffset).line})`;
        return { offset: pos[0], message: `duplicate key ${JSON.stringify(duplicate.key)}${first}: each key may appear once in a mapping` };
      }
      case 'TAG_RESOLVE_FAILED':
        return { offset: pos[0], message: `${lowerFirst(message)}: environment files use plain YAML, without tags` };
    }
    return { offset: pos[0], message: lowerFirst(message) };
  }

  /** The key starting at `offset` and where the same key first appears in its mapping. */
  private duplicateKeyAt(offset: number): { key: string; firstOffset: number | undefined } | undefined {
    let found: { key: string; firstOffset: number | undefined } | undefined;
    const visit = (node: unknown): void => {
      if (isMap(node)) {
        const at = node.items.findIndex((pair) => isScalar(pair.key) && pair.key.range?.[0] === offset);
        const pair = node.items[at];
        if (pair && isScalar(pair.key)) {
          const key = String(pair.key.value);
          const first = node.items.find((other) => isScalar(other.key) && String(other.key.value) === key);
          found = { key, firstOffset: first && isScalar(first.key) && first !== pair ? first.key.range?.[0] : undefined };
        }
        for (const item of node.items) visit(item.value);
      } else if (isSeq(node)) {
        for (const item of node.items) visit(item);
      }
    };
    visit(this.doc.contents);
    return found;
  }

  /** The first non-blank character at or after `offset` on its line. */
  private firstNonBlank(offset: number): number {
    let at = offset;
    while (this.text[at] === ' ') at++;
    return this.text[at] === '\n' || at >= this.text.length ? offset : at;
  }

  /** The quoted scalar that runs into `end` without closing: its opening quote. */
  private openingQuoteBefore(end: number, quote: string): number | undefined {
    const type = quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
    let found: number | undefined;
    const visit = (node: unknown): void => {
      if (isPair(node)) {
        visit(node.key);
        visit(node.value);
      } else if (isMap(node) || isSeq(node)) {
        for (const item of node.items) visit(item);
      } else if (isScalar(node) && node.type === type && node.range && node.range[0] < end && node.range[1] >= end) {
        found = node.range[0];
      }
    };
    visit(this.doc.contents);
    return found;
  }

  /** Offset of the first non-blank line after `line` that is indented deeper than `line`, if the very next content line is. */
  private overIndentedLineAfter(line: number): number | undefined {
    const lines = this.text.split('\n');
    const indent = (text: string) => text.length - text.trimStart().length;
    const base = lines[line - 1];
    if (base === undefined) return undefined;
    for (let i = line; i < lines.length; i++) {
      const text = lines[i]!;
      if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
      if (indent(text) <= indent(base) || !/^\s*[^\s:#][^:]*:(\s|$)/.test(text)) return undefined;
      const offset = this.lines.lineStarts[i];
      return offset === undefined ? undefined : offset + indent(text);
    }
    return undefined;
  }

  /** What the YAML grammar allows but a JS object cannot hold faithfully. */
  private structureProblems(): EnvironmentProblem[] {
    const problems: EnvironmentProblem[] = [];
    const visit = (node: unknown): void => {
      if (isAlias(node)) {
        if (!node.resolve(this.doc)) {
          problems.push(this.problemAtOffset(node.range?.[0] ?? 0, [], `alias *${node.source} names no anchor defined before it`));
        }
      } else if (isMap(node)) {
        for (const pair of node.items) {
          if (pair.key !== null && !isScalar(pair.key)) {
            const at = (pair.key as Node).range?.[0] ?? 0;
            problems.push(this.problemAtOffset(at, [], 'a key must be a plain value, not a list or mapping'));
          }
          visit(pair.value);
        }
      } else if (isSeq(node)) {
        for (const item of node.items) visit(item);
      }
    };
    visit(this.doc.contents);
    return problems;
  }
}

const plainSegment = /^[A-Za-z0-9_-]+$/;

/** `resources.orders-db.multiAZ`, `stopConditions[0].alarm`, `sim.calibration["rds.instance.failover"]`. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && plainSegment.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
