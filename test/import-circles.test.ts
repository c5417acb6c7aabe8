import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Import circles among the modules of src/ and steps/ (issue 15: none
 * anywhere). Type-only imports (`import type`, `export type … from`) are
 * left out: they vanish when compiled. A circle is named by the modules of
 * its strongly connected component, sorted.
 *
 * KNOWN lists the circles there were when this test was written, all in
 * src/harness/ (another engineer re-cuts it): the test fails only on a
 * circle not in it, and tells when a known one is gone so it can be struck.
 */
const KNOWN: readonly string[] = [
  // None left: faults ⇄ recovery (pollDelay, RUN_ID_TAG) went with wait.ts and tags.ts.
];

const ROOT = join(import.meta.dirname, '..');

function modules(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** The relative modules a file imports for their values. */
function valueImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) {
    if (match[2]) continue;
    const target = relative(ROOT, resolve(dirname(join(ROOT, file)), match[3]!)).replace(/\.js$/, '');
    out.push(target);
  }
  return out;
}

function circles(): string[] {
  const files = [...modules('src'), ...modules('steps')];
  const byStem = new Map(files.map((f) => [f.replace(/\.tsx?$/, ''), f]));
  const edges = new Map(files.map((f) => [f, valueImports(f).flatMap((t) => (byStem.has(t) ? [byStem.get(t)!] : byStem.has(`${t}/index`) ? [byStem.get(`${t}/index`)!] : []))]));
  const found = new Set<string>();
  // Tarjan's strongly connected components; each component of more than one module holds a circle.
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.add(component.sort().join(' ⇄ '));
    }
  };
  for (const file of files) if (!idx.has(file)) visit(file);
  return [...found].sort();
}

describe('import circles in src/ and steps/ (type-only imports aside)', () => {
  const today = circles();
  it('has none but the known ones', () => {
    expect(today.filter((c) => !KNOWN.includes(c))).toEqual([]);
  });
  it('still has each known one (strike those that are gone)', () => {
    expect(KNOWN.filter((c) => !today.includes(c))).toEqual([]);
  });
});
