/**
 * `gameday run --shard i/n` (1-based, as Playwright's `--shard 2/4`): the
 * i-th of n slices of a run's work, so that a CI matrix spreads one study
 * over its runners and `gameday report --merge` puts the slices back
 * together. With --samples the slices are of each scenario's samples,
 * otherwise of the selected scenarios; either way by position modulo n,
 * which keeps every sample's seed (and every scenario's) what it would be
 * in the unsharded run: seeds derive from the run seed and the sample's
 * number or the scenario's identity, never from where it ran.
 */
import { createHash } from 'node:crypto';
import { BadInputError } from '../errors.js';

export interface Shard {
  /** Which slice, from 1. */
  index: number;
  /** How many slices the run is cut into. */
  count: number;
}

/** The most shards a run is cut into: far more CI runners than anyone has. */
export const MAX_SHARDS = 1000;

/** `2/4` → { index: 2, count: 4 }; anything else says what a shard looks like. */
export function parseShard(value: string): Shard {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(value.trim());
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  const problem = shardProblem(shard);
  if (problem) throw new BadInputError(`--shard ${value}: ${problem}`);
  return shard!;
}

/** Why a shard is not one, if it is not (runGameDay checks what an embedding passes too). */
export function shardProblem(shard: Shard | undefined): string | undefined {
  if (!shard) return 'expected i/n, the i-th of n slices counted from 1, e.g. 2/4';
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) return `the number of shards must be 1–${MAX_SHARDS}, not ${count}`;
  if (!Number.isInteger(index) || index < 1 || index > count) return `the shard must be 1–${count} (counted from 1), not ${index}`;
  return undefined;
}

/** Whether the item at `position` (from 0, in the unsharded run's order) is this shard's. */
export function inShard(shard: Shard | undefined, position: number): boolean {
  return !shard || position % shard.count === shard.index - 1;
}

/** `2/4`. */
export function shardText(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * What `gameday report --merge` compares to tell shards of one run from
 * shards of different runs that happen to share a seed: a digest of the
 * feature files and environment files the run read, as they were.
 */
export function inputsDigest(files: readonly { path: string; text: string }[]): string {
  const hash = createHash('sha256');
  for (const { path, text } of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${path}\u0000${text.length}\u0000${text}`);
  }
  return `sha256:${hash.digest('hex')}`;
}
