import type { ApiErrorInjection, FisActionDefinition, FisActionRun } from '../../types.js';
import { durationParameter, holdFor, injectFor } from './action-run.js';

/** FIS's own actions: `aws:fis:wait` and the API error injections. */

/** The role name in an IAM role ARN (`arn:aws:iam::123456789012:role/path/name` → `name`). */
export function roleNameOf(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  if (!resource.startsWith('role/')) return arn;
  return resource.split('/').pop() ?? arn;
}

const injectionParameters = {
  service: { description: 'The target AWS service, by its signing name (e.g. rds, dynamodb).', required: true },
  operations: {
    description: 'Comma-separated operations to affect (e.g. RebootDBInstance,DescribeDBInstances); all operations when left out.',
    required: false,
  },
  percentage: { description: 'Percentage (1-100) of matching calls that fail.', required: true },
  duration: { description: 'How long the errors are injected, ISO 8601 (PT1M to PT12H).', required: true },
};

export function createFisActions(): FisActionDefinition[] {
  let injections = 0;

  const injection = (kind: ApiErrorInjection['kind'], what: string): FisActionDefinition => ({
    id: `aws:fis:inject-api-${kind}`,
    description: `Inject ${what} errors into requests made by the target IAM roles.`,
    targets: { Roles: 'aws:iam:role' },
    parameters: injectionParameters,
    start: async (run: FisActionRun) => {
      const ms = durationParameter(run);
      const service = run.parameters['service'];
      if (!service) throw new Error('parameter service is required');
      const percentage = Number(run.parameters['percentage']);
      if (!Number.isInteger(percentage) || percentage < 1 || percentage > 100) {
        throw new Error(`parameter percentage "${run.parameters['percentage']}" must be an integer from 1 to 100`);
      }
      const operations = (run.parameters['operations'] ?? '')
        .split(',')
        .map((op) => op.trim())
        .filter(Boolean);
      const arns = run.targets['Roles'] ?? [];
      // The dispatcher matches a caller by role name or by its assumed-role ARN; an IAM role ARN is neither.
      const roles = [...new Set(arns.flatMap((arn) => [arn, roleNameOf(arn)]))];
      const id = `fis-api-${kind}-${++injections}`;
      await injectFor(
        run,
        ms,
        {
          apply: () =>
            run.world.faults.addApiErrorInjection({
              id,
              kind,
              service,
              operations: operations.length > 0 ? operations : 'all',
              roles,
              percentage,
            }),
          rollback: () => run.world.faults.removeApiErrorInjection(id),
        },
        `fis ${id}`,
      );
    },
  });

  return [
    {
      id: 'aws:fis:wait',
      description: 'Run the AWS FIS wait action.',
      targets: {},
      parameters: { duration: { description: 'The duration, ISO 8601 (PT1S to PT12H).', required: true } },
      start: (run) => holdFor(run, durationParameter(run), 'aws:fis:wait'),
    },
    injection('internal-error', 'internal'),
    injection('throttle-error', 'throttling'),
    injection('unavailable-error', 'unavailable'),
  ];
}
