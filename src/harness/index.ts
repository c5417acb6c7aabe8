/**
 * The harness's public face: what the run, the steps, the CLI, the reports
 * and the benchmarks use of it. Modules inside harness/ import each other
 * directly, never through here (this file imports the whole harness, so an
 * import of it from inside would close a circle).
 *
 * Importing this loads every AWS SDK client the harness uses, which takes
 * seconds. So the few modules that need a leaf value and not the harness
 * (src/cli/main.ts's MAX_SAMPLES, the report's formatSeconds and
 * EVENT_MEDIA_TYPE) import it from its own module: `gameday --help` and
 * re-rendering a report stay quick. Their type-only imports come through here.
 */
export { errorCode } from './aws-error.js';
export { CleanupStack, type AwsCall, type JournalEntry } from './cleanup.js';
export { formatSeconds, parseDuration } from './duration.js';
export { EVENT_MEDIA_TYPE, type EmitEvent, type TimelineEvent } from './events.js';
export { refreshExperiments } from './faults.js';
export { executorFor, FileJournal } from './journal.js';
export { startProbe } from './probes.js';
export { InterruptedError, ScenarioContext } from './scenario.js';
export { MAX_SAMPLES, sampleSeed, scenarioSeed } from './seed.js';
export { awaitSteadyState, failBackMovedPrimaries, recordPrimaryHomes } from './steady-state.js';
export { RUN_ID_TAG } from './tags.js';
export {
  SAME_CLOCK,
  type BucketRef,
  type Capacity,
  type DatabaseRef,
  type Fleet,
  type HttpClient,
  type HttpResult,
  type OrdersStore,
  type SimControl,
  type TableRef,
  type Target,
  type TargetClients,
  type WriteOutcome,
} from './target.js';
export { checkTemplates, type TemplateCheck } from './template-check.js';
export type { CheckContext, StepDefinition } from './types.js';
export { DURATION_PARAMETER, environmentStep, vocabulary } from './vocabulary.js';
