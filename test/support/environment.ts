import { EnvironmentError, parseEnvironment, type Environment } from '../../src/env/index.js';

/** The EnvironmentError loading an environment is refused with; fails the test if it loads, or fails otherwise. */
export async function environmentRefusal(load: Promise<Environment>): Promise<EnvironmentError> {
  const error = await load.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof EnvironmentError)) throw new Error(`expected an EnvironmentError, got ${String(error)}`);
  return error;
}

/**
 * The messages an environment given as text is refused with, one per line
 * (`acme.yaml:6:36: resources.web.region: …`); fails the test if it loads.
 */
export async function environmentProblems(text: string, file = 'acme.yaml'): Promise<string[]> {
  return (await environmentRefusal(parseEnvironment(text, file))).message.split('\n');
}
