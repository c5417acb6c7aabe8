import { EnvironmentError, parseEnvironment } from '../../src/env/index.js';

/**
 * The messages an environment given as text is refused with, one per line
 * (`acme.yaml:6:36: resources.web.region: …`); fails the test if it loads.
 */
export async function environmentProblems(text: string, file = 'acme.yaml'): Promise<string[]> {
  const error = await parseEnvironment(text, file).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof EnvironmentError)) throw new Error(`expected an EnvironmentError, got ${String(error)}`);
  return error.message.split('\n');
}
