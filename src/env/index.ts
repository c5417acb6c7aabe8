export { EnvironmentError, UnknownAliasError, UnknownFaultError, formatProblem } from './errors.js';
export { loadEnvironment, parseEnvironment } from './load.js';
export { partitionOf } from './pseudo-parameters.js';
export { shareEnvironments, sharedEnvironment } from './shared.js';
export { formatPath } from './source.js';
export { didYouMean, listOf } from './suggest.js';
export { aliasesOf, assumedRoleOf, autoScalingGroupOf, problemAt, regionsOf, resolveAlias, resolveFault } from './resolve.js';
export {
  DEFAULT_CONFIDENCE,
  DEFAULT_CONSECUTIVE_SUCCESSES,
  DEFAULT_PROBE_RESOLUTION_SECONDS,
  DEFAULT_SEED,
  DEFAULT_SIM_ACCOUNT_ID,
  environmentFileSchema,
  fisTemplateSchema,
} from './schema.js';
export type * from './types.js';
export { drStrategies, rdsEngines } from './types.js';
