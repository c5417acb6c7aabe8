import { BadInputError } from '../errors.js';
import type { EnvironmentProblem, ResourceKind } from './types.js';

/**
 * An environment file (or a template it references) that cannot be used.
 * The message has one line per problem, `file:line:column: path: message`,
 * so editors and terminals link each to its place; `file`, `line` and
 * `column` are the first problem's. The CLI maps `code` to exit code 2.
 */
export class EnvironmentError extends BadInputError {
  readonly file: string;
  /** 1-based; 0 when the file as a whole is the problem (it cannot be read). */
  readonly line: number;
  readonly column: number;
  readonly problems: readonly EnvironmentProblem[];

  constructor(problems: readonly [EnvironmentProblem, ...EnvironmentProblem[]]) {
    super(problems.map(formatProblem).join('\n'));
    const [first] = problems;
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.problems = problems;
  }
}

export function formatProblem(problem: EnvironmentProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  return `${where}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

/**
 * A feature names a resource the environment does not define, or one of the
 * wrong kind. The message names what was typed and lists what would do; the
 * step library adds the feature's file:line.
 */
export class UnknownAliasError extends BadInputError {
  constructor(
    message: string,
    /** What the feature said. */
    readonly alias: string,
    /** The environment's name. */
    readonly environment: string,
    /** The kinds the step accepts; empty for any. */
    readonly expectedKinds: readonly ResourceKind[],
    /** Aliases of the accepted kinds, in file order. */
    readonly known: readonly string[],
    /** Set when the alias exists but is of another kind. */
    readonly actualKind?: ResourceKind,
  ) {
    super(message);
  }
}

/** A feature names a fault the environment maps to no template. */
export class UnknownFaultError extends BadInputError {
  constructor(
    message: string,
    readonly fault: string,
    readonly environment: string,
    readonly known: readonly string[],
  ) {
    super(message);
  }
}
