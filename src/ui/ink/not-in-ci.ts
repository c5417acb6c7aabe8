/**
 * What Ink hears in place of the is-in-ci package, in the build (scripts/build.mjs) and under
 * vitest (vitest.config.ts) alike. Ink asks once, as it loads, and under CI draws no frame but
 * the last. Whether a person watches is the CLI's decision, made before Ink is loaded
 * (src/cli/ui-mode.ts): `--ui auto` never picks the live view under CI, and `--ui ink` there
 * is someone asking for it, in a terminal with CI set (a runner's shell, a devcontainer).
 */
const inCi = false;
export default inCi;
