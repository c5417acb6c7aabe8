import { CucumberExpression, ParameterType, ParameterTypeRegistry } from '@cucumber/cucumber-expressions';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType, type GherkinDocument, type Pickle } from '@cucumber/messages';
import parseTagExpression from '@cucumber/tag-expressions';
import type { Environment } from '../env/index.js';
import { BadInputError } from '../errors.js';
import { DURATION_PARAMETER, vocabulary, type StepDefinition } from '../harness/vocabulary.js';
import { lineIndex, pickleLine } from './lines.js';

export interface FeatureSource {
  /** Path as shown in messages (relative to cwd). */
  uri: string;
  text: string;
}

export interface PlannedStep {
  text: string;
  line: number;
  definition: StepDefinition;
  args: unknown[];
}

export interface PlannedScenario {
  name: string;
  /** The environment it runs in. */
  environment: string;
  uri: string;
  line: number;
  tags: string[];
  steps: PlannedStep[];
}

export interface Problem {
  uri: string;
  line: number;
  message: string;
}

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

/**
 * Walk every selected scenario's steps against the vocabulary and the
 * environment: undefined or ambiguous steps, unparsable durations, unknown
 * aliases, faults and regions are problems with their file:line.
 */
const ENVIRONMENT_STEP = /^the "([^"]+)" environment$/;

/** The environment a scenario names in its `Given the "…" environment` step. */
export function environmentNameOf(steps: readonly { text: string }[]): string | undefined {
  for (const step of steps) {
    const match = ENVIRONMENT_STEP.exec(step.text);
    if (match) return match[1];
  }
  return undefined;
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

export function planScenarios(
  sources: readonly FeatureSource[],
  environments: Environments,
  tagExpression?: string,
): { scenarios: PlannedScenario[]; problems: Problem[] } {
  const parsed = parseFeatures(sources);
  const problems = [...parsed.problems];
  let select: (tags: string[]) => boolean = () => true;
  if (tagExpression) {
    try {
      const expression = parseTagExpression(tagExpression);
      select = (tags) => expression.evaluate(tags);
    } catch (error) {
      throw new BadInputError(`--tags "${tagExpression}": ${(error as Error).message}`);
    }
  }
  const compiled = compileVocabulary();
  const scenarios: PlannedScenario[] = [];
  for (const { pickle, document, uri } of parsed.scenarios) {
    const tags = pickle.tags.map((t) => t.name);
    if (!select(tags)) continue;
    const lines = lineIndex(document);
    const scenarioLine = pickleLine(pickle, lines);
    const named = environmentNameOf(pickle.steps);
    const env = environments.override ?? (named ? environments.byName.get(named) : undefined);
    if (!env) {
      problems.push({ uri, line: scenarioLine, message: named ? `the environment "${named}" could not be loaded` : 'the scenario names no environment: start it with Given the "…" environment, or give --env' });
      continue;
    }
    const planned: PlannedScenario = { name: pickle.name, uri, line: scenarioLine, tags, steps: [], environment: env.name };
    const context = { env, created: new Set<string>(), overridden: environments.override !== undefined };
    for (const step of pickle.steps) {
      const stepLine = lines.get(step.astNodeIds[0] ?? '') ?? scenarioLine;
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
        const values = args.map((arg) => arg.getValue(null));
        definition.check?.(values, context);
        planned.steps.push({ text: step.text, line: stepLine, definition, args: values });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        problems.push({ uri, line: stepLine, message: `${message} (in "${step.text}")` });
      }
    }
    scenarios.push(planned);
  }
  return { scenarios, problems };
}
