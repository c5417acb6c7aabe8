import type { Environment } from './types.js';

/**
 * The environments a run loaded to validate its scenarios, by run id and by
 * file as the run names it (`--env`'s path, or `scenarios/environments/<name>.yaml`).
 * The run's steps, in the same process, take them from here instead of
 * parsing the files again; cucumber's parallel workers are processes of
 * their own and load them themselves.
 */
const byRun = new Map<string, ReadonlyMap<string, Environment>>();

/** Share a run's environments with its steps until the returned function is called. */
export function shareEnvironments(runId: string, environments: ReadonlyMap<string, Environment>): () => void {
  byRun.set(runId, environments);
  return () => {
    byRun.delete(runId);
  };
}

export function sharedEnvironment(runId: string, file: string): Environment | undefined {
  return byRun.get(runId)?.get(file);
}
