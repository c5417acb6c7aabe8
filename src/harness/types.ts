import type { Environment } from '../env/index.js';
import type { ScenarioContext } from './scenario.js';

/** What the static check of a scenario knows while it walks the steps in order. */
export interface CheckContext {
  env: Environment;
  /** Aliases created by earlier steps of the scenario (`… as "orders-db-restored"`). */
  created: Set<string>;
  /** The run gave --env: the environment a scenario names is then informational. */
  overridden?: boolean;
  /** Note something that will not stop the run but deserves a look (shown with the step's file:line). */
  warn: (message: string) => void;
}

/** What a parameter of a phrase hands its step: `{string}` a string; `{int}`, `{float}` and `{duration}` (in seconds) a number. */
type ParameterValue<Name extends string> = Name extends 'int' | 'float' | 'duration' ? number : Name extends 'string' ? string : unknown;

/** A phrase's arguments, in order, read from its `{parameters}`: `'{string} is restored to {duration} …'` gives `[string, number, …]`. */
export type ArgumentsOf<Phrase extends string> = Phrase extends `${string}{${infer Name}}${infer Rest}` ? [ParameterValue<Name>, ...ArgumentsOf<Rest>] : [];

export interface StepDefinition<Args extends readonly unknown[] = readonly unknown[]> {
  keyword: 'Given' | 'When' | 'Then';
  /** A cucumber expression; the readable contract (DESIGN §8). */
  phrase: string;
  /** Checks made before anything runs: aliases, faults, regions. Throws BadInputError. */
  check?: (args: Args, context: CheckContext) => void;
  /**
   * The step starts the incident that objectives are measured from, unless an
   * earlier step did: a fault, or in a drill with no fault, a disruptive
   * recovery action (the first instant it disrupts service).
   */
  incident?: 'fault' | 'planned';
  /** The step measures from the incident: validation refuses it where no earlier step makes one. */
  needsIncident?: boolean;
  /** The faults (environment names) the step injects: the tag guard checks their templates before the run. */
  faults?: (args: Args) => string[];
  /** Recovery objectives the step states, for the run's plan (what the UI shows before they are measured). */
  objectives?: (args: Args) => { rtoSeconds?: number; rpoSeconds?: number };
  /**
   * The aliases the step judges: probed from the scenario's first second,
   * before any step runs, so the instant they recover is observed, not inferred.
   */
  watches?: (args: Args) => string[];
  run: (ctx: ScenarioContext, args: Args) => Promise<void>;
  /** The AWS calls the step would make, for --dry-run (mutating ones marked). */
  calls?: (args: Args, env: Environment) => string[];
}

/**
 * A step of the vocabulary, its callbacks given the arguments its phrase's
 * parameters produce, typed from the phrase itself (so the two cannot
 * disagree). The table holds steps of every shape, and cucumber and the
 * validation hand each one what its own phrase matched: that is why the one
 * cast below is sound, and why no step needs one of its own.
 */
export function step<const Phrase extends string>(definition: StepDefinition<Readonly<ArgumentsOf<Phrase>>> & { phrase: Phrase }): StepDefinition {
  return definition as unknown as StepDefinition;
}
