/**
 * Which view `gameday run` draws: `--ui auto` is the live Ink view only where
 * a person watches a terminal that can take it, plain lines everywhere else.
 * Ink 6 does not check isTTY itself: drawn into a pipe or a CI log, its
 * cursor moves and redraws would be noise around every frame.
 */
export type UiOption = 'auto' | 'ink' | 'plain' | 'json';
export type UiMode = 'ink' | 'plain' | 'json';

/**
 * Variables that CI services set, beyond `CI` itself, as is-in-ci (which Ink
 * uses) and ci-info read them: a service that sets one of these but not `CI`
 * still has nobody watching.
 */
export const CI_VARIABLES = [
  'CI',
  'CONTINUOUS_INTEGRATION',
  'BUILD_NUMBER',
  'RUN_ID',
  'GITHUB_ACTIONS',
  'GITLAB_CI',
  'BUILDKITE',
  'CIRCLECI',
  'TRAVIS',
  'JENKINS_URL',
  'TEAMCITY_VERSION',
  'TF_BUILD',
  'CODEBUILD_BUILD_ID',
  'BITBUCKET_BUILD_NUMBER',
  'DRONE',
  'APPVEYOR',
  'BUILDKITE_BUILD_ID',
  'SEMAPHORE',
] as const;

/** Under CI: one of the CI variables is set, to anything but `0` or `false` (is-in-ci's reading of `CI`). */
export function inCi(env: Record<string, string | undefined>): boolean {
  return CI_VARIABLES.some((name) => {
    const value = env[name];
    return value !== undefined && value !== '0' && value !== 'false';
  });
}

/** The view for `--ui`: `auto` is Ink on a terminal (stdout a TTY, not under CI, TERM not dumb), plain lines otherwise. */
export function chooseUi(option: UiOption, terminal: { isTTY: boolean; env: Record<string, string | undefined> }): UiMode {
  if (option !== 'auto') return option;
  return terminal.isTTY && !inCi(terminal.env) && terminal.env['TERM'] !== 'dumb' ? 'ink' : 'plain';
}
