import { describe, expect, it } from 'vitest';
import { chooseUi, inCi } from './ui-mode.js';

describe('--ui auto', () => {
  const terminal = { isTTY: true, env: { TERM: 'xterm-256color' } };

  it('draws the live view on a terminal, not under CI, with a TERM that can take it', () => {
    expect(chooseUi('auto', terminal)).toBe('ink');
  });

  it('prints plain lines into a pipe or a file', () => {
    expect(chooseUi('auto', { ...terminal, isTTY: false })).toBe('plain');
  });

  it('prints plain lines under CI, as is-in-ci reads CI (any value but 0 or false), and under the CI services that set their own variable', () => {
    expect(chooseUi('auto', { isTTY: true, env: { TERM: 'xterm', CI: 'true' } })).toBe('plain');
    expect(chooseUi('auto', { isTTY: true, env: { TERM: 'xterm', CI: '1' } })).toBe('plain');
    expect(chooseUi('auto', { isTTY: true, env: { TERM: 'xterm', CI: 'false' } })).toBe('ink');
    expect(chooseUi('auto', { isTTY: true, env: { TERM: 'xterm', CI: '0' } })).toBe('ink');
    for (const name of ['CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'JENKINS_URL', 'TF_BUILD', 'CODEBUILD_BUILD_ID']) {
      expect(inCi({ [name]: 'true' }), name).toBe(true);
    }
    expect(inCi({ TERM: 'xterm', HOME: '/root' })).toBe(false);
  });

  it('prints plain lines where TERM is dumb (an editor\'s shell, a minimal terminal)', () => {
    expect(chooseUi('auto', { isTTY: true, env: { TERM: 'dumb' } })).toBe('plain');
  });

  it('does what it is told otherwise, terminal or not', () => {
    expect(chooseUi('ink', { isTTY: false, env: { CI: 'true' } })).toBe('ink');
    expect(chooseUi('plain', terminal)).toBe('plain');
    expect(chooseUi('json', terminal)).toBe('json');
  });
});
