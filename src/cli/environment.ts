import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { requireSimEnvironment } from '../aws/sim-target.js';
import { loadEnvironment, type SimEnvironment } from '../env/index.js';

/**
 * Load a sim environment named on the command line. Messages show the path as
 * the user typed it (`scenarios/environments/securecart.yaml:12:5`); files are
 * read relative to the command's cwd.
 */
export function loadSimEnvironment(cwd: string, file: string): Promise<SimEnvironment> {
  const shown = isAbsolute(file) ? relative(cwd, file) || file : file;
  return loadEnvironment(shown, (path) => readFile(resolve(cwd, path), 'utf8')).then(requireSimEnvironment);
}
