// Whether dist/ (what bin/gameday.js runs) is older than the TypeScript
// sources beside it. Plain JavaScript: it runs before anything is compiled.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Whether a file is a module the build compiles: TypeScript, not a test. */
function isModuleSource(name) {
  return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name);
}

/** The modules the build compiles under `root`'s folders `dirs` (a folder that is not there has none). */
export function sourceModules(root, dirs) {
  return dirs.flatMap((dir) => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true, recursive: true });
    } catch {
      return [];
    }
    return entries.filter((entry) => entry.isFile() && isModuleSource(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  });
}

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
  const changed = sourceModules(root, ['src', 'steps']).find((path) => statSync(path).mtimeMs > built);
  return changed ? `${relative(root, changed)} changed after dist/ was built` : undefined;
}
