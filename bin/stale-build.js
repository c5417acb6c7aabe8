// Whether dist/ (what bin/gameday.js runs) is older than the TypeScript
// sources beside it. Plain JavaScript: it runs before anything is compiled.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Why the build under `root` cannot be run, or undefined when it can: dist/
 * is missing, or a source module (not a test) changed after it was built. An
 * installed package ships dist/ without src/: nothing to compare.
 */
export function staleBuild(root) {
  let built;
  try {
    built = statSync(join(root, 'dist', 'BUILT')).mtimeMs;
  } catch {
    return 'dist/ is missing';
  }
  for (const dir of ['src', 'steps']) {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true, recursive: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      if (statSync(path).mtimeMs > built) return `${path.slice(root.length).replace(/^\//, '')} changed after dist/ was built`;
    }
  }
  return undefined;
}
