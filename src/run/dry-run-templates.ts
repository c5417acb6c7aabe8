import { makeClients, verifyAccount } from '../aws/index.js';
import type { AwsEnvironment, Environment, Fault } from '../env/index.js';
import { BadInputError, SafetyGuardError, TargetUnavailableError } from '../errors.js';
import { checkTemplates, errorCode, type TemplateCheck } from '../harness/index.js';
import { ValidationError, type CheckedScenario } from './validate.js';

/** What the aws target's dry run found about the templates of one environment's faults. */
export interface DryRunTemplates {
  environment: string;
  account: string;
  checks: TemplateCheck[];
}

/** The faults the scenarios of `env` inject, in the environment's order. */
function faultsUsed(env: Environment, scenarios: readonly CheckedScenario[]): Fault[] {
  const names = new Set(
    scenarios.filter((s) => s.environment === env.name).flatMap((s) => s.steps.flatMap((step) => step.definition.faults?.(step.args) ?? [])),
  );
  return Object.values(env.faults).filter((fault) => names.has(fault.name));
}

/**
 * `gameday run --dry-run` on an aws environment whose scenarios inject
 * faults: the account guard (GetCallerIdentity, exit 3 for an account not
 * allowed), then each fault's template checked against the account's FIS
 * and resources, read-only (harness/template-check.ts). What FIS would
 * refuse, or a target that selects nothing, is bad input (exit 2) at its
 * line in the template file, as the dry run reports a feature's or an
 * environment's problems. An environment whose scenarios inject nothing is
 * not asked anything: its dry run still makes no AWS call.
 */
export async function checkDryRunTemplates(environments: readonly Environment[], scenarios: readonly CheckedScenario[]): Promise<DryRunTemplates[]> {
  const found: DryRunTemplates[] = [];
  for (const env of environments) {
    if (env.target !== 'aws') continue;
    const faults = faultsUsed(env, scenarios);
    if (faults.length === 0) continue;
    found.push(await checkEnvironment(env, faults));
  }
  const problems = found.flatMap((f) => f.checks.flatMap((c) => c.problems));
  if (problems.length > 0) {
    throw new ValidationError(problems.map((p) => ({ uri: p.file, line: p.line, message: `${p.path}: ${p.message} (template of fault ${p.fault})` })));
  }
  return found;
}

async function checkEnvironment(env: AwsEnvironment, faults: Fault[]): Promise<DryRunTemplates> {
  const clients = makeClients((region) => ({ region }));
  try {
    const account = await verifyAccount(clients.sts(), env);
    return { environment: env.name, account, checks: await checkTemplates(clients, faults, account) };
  } catch (error) {
    if (error instanceof BadInputError || error instanceof SafetyGuardError || !(typeof error === 'object' && error !== null && '$metadata' in error)) throw error;
    // An answer of AWS's own (access denied, throttling, an outage, no network): no verdict on the templates.
    const code = errorCode(error);
    const message = (error as unknown as Error).message.split('\n')[0];
    throw new TargetUnavailableError(
      `${env.file}: AWS could not be asked what the dry run checks of the faults' templates (FIS's actions, what the targets select): ${code === 'Error' ? message : `${code}: ${message}`}. Nothing was changed; run again once AWS answers`,
    );
  } finally {
    clients.destroy();
  }
}
