/**
 * The renderers' public face: what the CLI draws a run with. The live view
 * (ink/) is not here: it is one bundled file the CLI loads only when someone
 * watches (src/cli/live-view.ts imports it on demand), so that plain and
 * JSON runs never load React.
 */
export { jsonRenderer } from './json.js';
export { plainRenderer, plural } from './plain.js';
export type { InkView } from './ink/index.js';
