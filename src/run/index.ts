/**
 * The run's public face: `runGameDay`, its events and control, the run
 * folder, what a crashed or interrupted run left (aftermath), shards.
 *
 * Importing this loads cucumber and the whole run. So the modules that need
 * only a leaf import it from its own module: src/cli/main.ts's parseShard
 * (`gameday --help` stays quick), report/ (which run/ builds on: importing
 * this would close a circle) and steps/ (loaded by the run itself, from its
 * lines, attachments and validation).
 */
export { cleanUpAfter, cleanUpAll, leftChanged, pendingLabel, pendingUndos, rerender, type CleanupOutcome, type CleanupStep, type CleanupWorld } from './aftermath.js';
export { RunFolder, RUN_FILES, type RunManifest } from './run-folder.js';
export { environmentFile, runGameDay, type RunEnvironment, type RunOptions, type RunOutcome } from './run-game-day.js';
export { parseShard, shardText, type Shard } from './shard.js';
export type * from './types.js';
