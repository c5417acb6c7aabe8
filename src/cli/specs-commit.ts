import { execFile } from 'node:child_process';

/**
 * The git commit the features come from, for the report's evidence: `HEAD`
 * of the repository `cwd` is in, with `+dirty` when the paths run have
 * uncommitted changes. Undefined outside a repository or without git: the
 * run does not depend on it.
 */
export async function specsCommit(cwd: string, paths: readonly string[]): Promise<string | undefined> {
  const git = (args: string[]) =>
    new Promise<string | undefined>((resolve) => {
      execFile('git', args, { cwd, timeout: 5000 }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
    });
  const head = await git(['rev-parse', 'HEAD']);
  if (!head || !/^[0-9a-f]{40}$/.test(head)) return undefined;
  // `file.feature:LINE` is a path to git without its line.
  const files = paths.map((path) => path.replace(/(\.feature)(?::\d+)+$/, '$1'));
  const changes = await git(['status', '--porcelain', '--', ...files]);
  return changes ? `${head}+dirty` : head;
}
