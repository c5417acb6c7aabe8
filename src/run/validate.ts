import { CucumberExpression, ParameterType, ParameterTypeRegistry } from '@cucumber/cucumber-expressions';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType, type GherkinDocument, type Pickle } from '@cucumber/messages';
import parseTagExpression from '@cucumber/tag-expressions';
import { drStrategies, type Environment } from '../env/index.js';
import { BadInputError } from '../errors.js';
import { type CheckContext, DURATION_PARAMETER, environmentStep, type StepDefinition, vocabulary } from '../harness/index.js';
import type { DrStrategy, Warning } from '../report/index.js';
import { identify } from './identity.js';
import { nodeIndex, pickleLine, pickleOrigin, selectingLines, type PickleOrigin } from './lines.js';

export interface FeatureSource {
  /** Path as shown in messages (relative to cwd). */
  uri: string;
  text: string;
}

/** A step of a scenario, matched to its phrase and with its arguments parsed. */
export interface CheckedStep {
  keyword: string;
  text: string;
  line: number;
  definition: StepDefinition;
  args: unknown[];
}

/** A scenario the run will run, checked against the vocabulary and its environment. */
export interface CheckedScenario {
  /** Stable id (run/identity.ts). */
  id: string;
  /** What its seed derives from. */
  identityKey: string;
  name: string;
  /** The environment it runs in. */
  environment: string;
  uri: string;
  line: number;
  tags: string[];
  strategy?: DrStrategy;
  /** Targets its steps state. */
  objectives?: { rtoSeconds?: number; rpoSeconds?: number };
  steps: CheckedStep[];
}

/** Something wrong in a feature or environment, at its file:line. */
export type Problem = Warning;

/** Every problem found before anything runs, each with its file:line (exit code 2). */
export class ValidationError extends BadInputError {
  constructor(readonly problems: readonly Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the game day's features and environment; nothing was run:\n` +
        problems.map((p) => `  ${p.uri}:${p.line}: ${p.message}`).join('\n'),
    );
  }
}

interface CompiledStep {
  definition: StepDefinition;
  expression: CucumberExpression;
}

let compiledVocabulary: CompiledStep[] | undefined;

/** The vocabulary's phrases as cucumber expressions, compiled once per process. */
function compileVocabulary(): CompiledStep[] {
  compiledVocabulary ??= compile();
  return compiledVocabulary;
}

function compile(): CompiledStep[] {
  const registry = new ParameterTypeRegistry();
  registry.defineParameterType(
    new ParameterType(DURATION_PARAMETER.name, DURATION_PARAMETER.regexp, Number, (text: string) => DURATION_PARAMETER.transform(text), false, false),
  );
  return vocabulary.map((definition) => ({ definition, expression: new CucumberExpression(definition.phrase, registry) }));
}

/** Parse the features (Gherkin) and list their pickles, with file:line problems for syntax errors. */
export function parseFeatures(sources: readonly FeatureSource[]): { scenarios: { pickle: Pickle; document: GherkinDocument; uri: string }[]; problems: Problem[] } {
  const scenarios: { pickle: Pickle; document: GherkinDocument; uri: string }[] = [];
  const problems: Problem[] = [];
  for (const source of sources) {
    const envelopes = generateMessages(source.text, source.uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
      includeGherkinDocument: true,
      includePickles: true,
      includeSource: false,
      newId: IdGenerator.incrementing(),
    });
    let document: GherkinDocument | undefined;
    for (const envelope of envelopes) {
      if (envelope.parseError) {
        problems.push({
          uri: source.uri,
          line: envelope.parseError.source.location?.line ?? 0,
          message: `Gherkin syntax: ${envelope.parseError.message.replace(/^\(\d+:\d+\): /, '')}`,
        });
      }
      if (envelope.gherkinDocument) document = envelope.gherkinDocument;
      if (envelope.pickle && document) scenarios.push({ pickle: envelope.pickle, document, uri: source.uri });
    }
  }
  return { scenarios, problems };
}

function closest(text: string, compiled: readonly CompiledStep[]): string {
  const words = new Set(text.toLowerCase().replace(/"[^"]*"/g, '').split(/\W+/).filter(Boolean));
  let best: { phrase: string; score: number } | undefined;
  for (const { definition } of compiled) {
    const phraseWords = definition.phrase.toLowerCase().replace(/\{\w+\}/g, '').split(/\W+/).filter(Boolean);
    // Shared words over all words of either side, so a short phrase does not win by being short.
    const shared = phraseWords.filter((w) => words.has(w)).length;
    const score = shared / Math.max(phraseWords.length, words.size, 1);
    if (!best || score > best.score) best = { phrase: definition.phrase, score };
  }
  return best && best.score >= 0.5 ? `; did you mean "${best.phrase}"?` : '';
}

let environmentExpression: CucumberExpression | undefined;

/** The environment a step's text names, if it is the vocabulary's environment step (`the "…" environment`). */
export function environmentNamedBy(text: string): string | undefined {
  environmentExpression ??= new CucumberExpression(environmentStep.phrase, new ParameterTypeRegistry());
  return environmentExpression.match(text)?.[0]?.getValue<string>(null) ?? undefined;
}

/** The environment a scenario names in its `Given the "…" environment` step. */
export function environmentNameOf(steps: readonly { text: string }[]): string | undefined {
  for (const step of steps) {
    const name = environmentNamedBy(step.text);
    if (name !== undefined) return name;
  }
  return undefined;
}

/**
 * The aliases a scenario's steps watch (a step's `watches`), in the order
 * the steps name them. A step that matches no phrase, or more than one,
 * watches nothing: validation has refused it already.
 */
export function watchedBy(steps: readonly { text: string }[]): string[] {
  const compiled = compileVocabulary();
  return steps.flatMap((step) => {
    const matches = compiled.flatMap((c) => {
      const args = c.expression.match(step.text);
      return args ? [{ definition: c.definition, args }] : [];
    });
    const [match] = matches;
    if (matches.length !== 1 || !match?.definition.watches) return [];
    return match.definition.watches(match.args.map((arg) => arg.getValue(null)));
  });
}

/**
 * Environments for a run: one given with --env applies to every scenario
 * (staging maps SecureCart's aliases to real resources); otherwise each
 * scenario runs in the environment it names.
 */
export interface Environments {
  override?: Environment;
  byName: ReadonlyMap<string, Environment>;
}

/** The DR strategy a scenario exercises: its tags say (`@pilot-light`), else its environment's `strategy`. */
export function strategyOf(tags: readonly string[], env: Environment): DrStrategy | undefined {
  return drStrategies.find((strategy) => tags.includes(`@${strategy}`)) ?? env.strategy;
}

/** What to run: a tag expression, and lines asked for per file (`file.feature:LINE`). */
export interface Selection {
  tags?: string;
  /** uri (relative to cwd) → lines; a file not in the map runs whole. */
  lines?: ReadonlyMap<string, readonly number[]>;
}

interface ParsedScenario {
  pickle: Pickle;
  uri: string;
  line: number;
  origin: PickleOrigin | undefined;
  index: ReturnType<typeof nodeIndex>;
}

/**
 * Select the scenarios to run (tags; lines as cucumber-js selects them, and
 * an Examples table's line selects its rows), then walk each selected
 * scenario's steps against the vocabulary and its environment: undefined or
 * ambiguous steps, unparsable durations, unknown aliases, faults and
 * regions, a recovery check with no incident before it, are problems with
 * their file:line; an unselected scenario is not checked. Ids and seeds come
 * from every scenario of a file, selected or not, so that selecting one does
 * not change who it is.
 */
export function planScenarios(
  sources: readonly FeatureSource[],
  environments: Environments,
  selection: Selection = {},
): { scenarios: CheckedScenario[]; problems: Problem[]; warnings: Warning[] } {
  const parsed = parseFeatures(sources);
  const problems = [...parsed.problems];
  const warnings: Warning[] = [];
  let select: (tags: string[]) => boolean = () => true;
  if (selection.tags) {
    try {
      const expression = parseTagExpression(selection.tags);
      select = (tags) => expression.evaluate(tags);
    } catch (error) {
      throw new BadInputError(`--tags "${selection.tags}": ${(error as Error).message}`);
    }
  }
  const indexes = new Map<GherkinDocument, ReturnType<typeof nodeIndex>>();
  const all: ParsedScenario[] = parsed.scenarios.map(({ pickle, document, uri }) => {
    let index = indexes.get(document);
    if (!index) indexes.set(document, (index = nodeIndex(document)));
    return { pickle, uri, line: pickleLine(pickle, index.lines), origin: pickleOrigin(document, pickle), index };
  });
  const { identities, warnings: sameNamed } = identify(
    all.map(({ pickle, uri, line, origin }) => ({
      uri,
      name: pickle.name,
      line,
      ...(origin?.example ? { example: { headers: origin.example.headers, values: origin.example.values } } : {}),
    })),
  );

  // Lines asked for that select nothing are a mistake (a scenario moved, a typo), not an empty run.
  for (const [uri, wanted] of selection.lines ?? []) {
    const selectable = all.filter((s) => s.uri === uri).flatMap((s) => (s.origin ? selectingLines(s.origin) : [s.line]));
    for (const line of wanted) {
      if (!selectable.includes(line)) {
        const starts = [...new Set(all.filter((s) => s.uri === uri).map((s) => s.origin?.scenario.location.line ?? s.line))];
        problems.push({
          uri,
          line,
          message: `line ${line} is not the line of a scenario, an outline, an Examples table or an example row${starts.length ? `; scenarios start at line${starts.length === 1 ? '' : 's'} ${starts.join(', ')}` : ''}`,
        });
      }
    }
  }

  const compiled = compileVocabulary();
  const scenarios: CheckedScenario[] = [];
  all.forEach(({ pickle, uri, line: scenarioLine, origin, index }, position) => {
    const tags = pickle.tags.map((t) => t.name);
    if (!select(tags)) return;
    const wanted = selection.lines?.get(uri);
    if (wanted && !(origin ? selectingLines(origin) : [scenarioLine]).some((line) => wanted.includes(line))) return;
    const identity = identities[position]!;
    warnings.push(...sameNamed.filter((w) => w.uri === uri && w.line === scenarioLine));
    const named = environmentNameOf(pickle.steps);
    const env = environments.override ?? (named ? environments.byName.get(named) : undefined);
    if (!env) {
      problems.push({ uri, line: scenarioLine, message: named ? `the environment "${named}" could not be loaded` : 'the scenario names no environment: start it with Given the "…" environment, or give --env' });
      return;
    }
    const strategy = strategyOf(tags, env);
    const planned: CheckedScenario = {
      id: identity.id,
      identityKey: identity.key,
      name: pickle.name,
      uri,
      line: scenarioLine,
      tags,
      steps: [],
      environment: env.name,
      ...(strategy ? { strategy } : {}),
    };
    let incident: string | undefined;
    const created = new Set<string>();
    for (const step of pickle.steps) {
      const stepLine = index.lines.get(step.astNodeIds[0] ?? '') ?? scenarioLine;
      const context: CheckContext = {
        env,
        created,
        overridden: environments.override !== undefined,
        warn: (message) => warnings.push({ uri, line: stepLine, message: `${message} (in "${step.text}")` }),
      };
      const matches = compiled.flatMap((c) => {
        const args = c.expression.match(step.text);
        return args ? [{ definition: c.definition, args }] : [];
      });
      if (matches.length === 0) {
        problems.push({ uri, line: stepLine, message: `undefined step: ${step.text}${closest(step.text, compiled)}` });
        continue;
      }
      if (matches.length > 1) {
        problems.push({ uri, line: stepLine, message: `ambiguous step: ${step.text} matches ${matches.map((m) => `"${m.definition.phrase}"`).join(' and ')}` });
        continue;
      }
      const { definition, args } = matches[0]!;
      try {
        if (definition.needsIncident && incident === undefined) {
          throw new BadInputError(
            'nothing before this step injects a fault or starts a disruptive recovery action (a failover, a promotion, a DNS failover), so there is no incident to measure from',
          );
        }
        const values = args.map((arg) => arg.getValue(null));
        definition.check?.(values, context);
        const stated = definition.objectives?.(values);
        if (stated) planned.objectives = { ...planned.objectives, ...stated };
        planned.steps.push({ keyword: index.keywords.get(step.astNodeIds[0] ?? '') ?? '*', text: step.text, line: stepLine, definition, args: values });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        problems.push({ uri, line: stepLine, message: `${message} (in "${step.text}")` });
      }
      // Even a step refused for its arguments (an unknown fault) is the incident for the steps after it: one problem, not one per check.
      if (definition.incident) incident ??= step.text;
    }
    scenarios.push(planned);
  });
  return { scenarios, problems, warnings };
}
