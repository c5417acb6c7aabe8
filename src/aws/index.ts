/**
 * The targets' public face: building the simulator's target and the real
 * account's, the account check, the client factory and the tag guard.
 * The harness declares the target interface (harness/target.ts) and these
 * implement it; steps/ creates its target here.
 */
export { verifyAccount, createAwsTarget } from './aws-target.js';
export { makeClients } from './clients.js';
export { buildSimulator, requireSimEnvironment, SIM_START } from './sim-target.js';
export { checkRequiredTag } from './tag-guard.js';
export { createTarget } from './targets.js';
