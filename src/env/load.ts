import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import { ZodDefault, ZodOptional, ZodRecord, type z } from 'zod';
import { defaultCalibration } from '../sim/calibration.js';
import { checkEnvironment, type Parts } from './checks.js';
import { EnvironmentError } from './errors.js';
import { problemsFromIssues } from './issues.js';
import {
  assumedRoleSchema,
  environmentFileSchema,
  faultSchema,
  regionsSchema,
  resourceSchema,
  simSchema,
  stopConditionSchema,
  type AssumedRoleEntry,
  type EnvironmentFile,
  type ResourceEntry,
  type SimEntry,
} from './schema.js';
import { formatPath, SourceText, type DocPath } from './source.js';
import { loadFaults } from './templates.js';
import type { AssumedRole, Environment, EnvironmentProblem, Fault, ReadTextFile, Resource, SimSettings, SourceLocation } from './types.js';

const readTextFile: ReadTextFile = (file) => fsReadFile(file, 'utf8');

/**
 * Read and check an environment file and the FIS templates it references.
 * Every problem found is reported in one EnvironmentError, each with its
 * file:line:column; nothing here talks to AWS.
 */
export async function loadEnvironment(file: string, readFile: ReadTextFile = readTextFile): Promise<Environment> {
  let text: string;
  try {
    text = await readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message =
      code === 'ENOENT'
        ? 'environment file not found'
        : `cannot read the environment file: ${error instanceof Error ? error.message : String(error)}`;
    throw new EnvironmentError([{ file, line: 0, column: 0, path: '', message }]);
  }
  return parseEnvironment(text, file, readFile);
}

/**
 * Check an environment given as text. `fileName` is what messages show and
 * where template paths are resolved from; `readFile` reads those templates.
 */
export async function parseEnvironment(text: string, fileName: string, readFile: ReadTextFile = readTextFile): Promise<Environment> {
  const { source, problems: syntax } = SourceText.parse(fileName, text);
  // A document with syntax errors parses into something other than what was
  // meant; checking its shape would only add noise to the real problem.
  if (syntax.length > 0) fail(syntax, fileName);

  let data: unknown;
  try {
    data = source.doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // The yaml package refuses alias bombs ("billion laughs") here.
    fail([source.problemAtOffset(0, [], `cannot expand the document: ${error instanceof Error ? error.message : String(error)}`)], fileName);
  }
  if (data === null || data === undefined) {
    fail([source.problemAtOffset(0, [], 'the file is empty; an environment needs at least regions and resources')], fileName);
  }
  if (!isRecord(data)) {
    fail([source.problemAtOffset(0, [], 'expected a mapping of settings (target, regions, resources, faults, …)')], fileName);
  }

  const problems: EnvironmentProblem[] = [];
  const parsed = environmentFileSchema.safeParse(data);
  if (!parsed.success) problems.push(...problemsFromIssues(parsed.error.issues, source, environmentFileSchema, data));

  const parts = partsOf(data);
  problems.push(...checkEnvironment(parts, source));
  const { faults, problems: faultProblems } = await loadFaults(parts, source, readFile);
  problems.push(...faultProblems);

  if (problems.length > 0 || !parsed.success) fail(problems, fileName);
  return build(parsed.data, fileName, faults, source);
}

function fail(problems: readonly EnvironmentProblem[], environmentFile: string): never {
  // The environment file first, then templates in the order they came up; by position within a file.
  const order = new Map<string, number>([[environmentFile, 0]]);
  for (const problem of problems) if (!order.has(problem.file)) order.set(problem.file, order.size);
  const sorted = dedupe(problems).sort(
    (a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line || a.column - b.column,
  );
  const [first, ...rest] = sorted;
  // Unreachable with an empty list (zod reports at least one issue on failure), but never throw an error without a place.
  throw new EnvironmentError(first ? [first, ...rest] : [{ file: environmentFile, line: 0, column: 0, path: '', message: 'invalid environment' }]);
}

function dedupe(problems: readonly EnvironmentProblem[]): EnvironmentProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}\0${p.line}\0${p.column}\0${p.path}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valid<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** Like `valid`, but a mapping keeps its sound entries when others are broken. */
function validEntries(schema: z.ZodType, value: unknown): unknown {
  const whole = valid(schema, value);
  if (whole !== undefined || !isRecord(value)) return whole;
  let inner: z.ZodType = schema;
  while (inner instanceof ZodDefault || inner instanceof ZodOptional) inner = inner.unwrap() as z.ZodType;
  if (!(inner instanceof ZodRecord)) return undefined;
  const record = inner;
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, entry]) => {
      const parsed = valid(record.valueType as z.ZodType, entry);
      return valid(record.keyType as z.ZodType, key) !== undefined && parsed !== undefined ? [[key, parsed]] : [];
    }),
  );
}

function entries(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

/** Each section and entry parsed on its own, for the cross-checks to use whatever is sound. */
function partsOf(data: Record<string, unknown>): Parts {
  const target = valid(environmentFileSchema.shape.target, data['target']);
  const resources = new Map<string, ResourceEntry>();
  const claimedKinds = new Map<string, unknown>();
  for (const [alias, raw] of entries(data['resources'])) {
    claimedKinds.set(alias, isRecord(raw) ? raw['kind'] : undefined);
    const resource = valid(resourceSchema, raw);
    if (resource) resources.set(alias, resource);
  }
  const faults = new Map(
    entries(data['faults']).flatMap(([name, raw]) => {
      const fault = valid(faultSchema, raw);
      return fault ? [[name, fault] as const] : [];
    }),
  );
  const stopConditions = new Map<number, { alarm: string }>();
  const rawStops = data['stopConditions'];
  if (Array.isArray(rawStops)) {
    rawStops.forEach((raw: unknown, index) => {
      const condition = valid(stopConditionSchema, raw);
      if (condition) stopConditions.set(index, condition);
    });
  }
  const rawSim = isRecord(data['sim']) ? data['sim'] : {};
  const sim: Partial<SimEntry> = {};
  for (const key of Object.keys(simSchema.shape) as (keyof SimEntry)[]) {
    const value = validEntries(simSchema.shape[key], rawSim[key]);
    if (value !== undefined) Object.assign(sim, { [key]: value });
  }
  const allowedAccountIds = valid(environmentFileSchema.shape.allowedAccountIds, data['allowedAccountIds']);
  const roles = new Map(
    entries(data['roles']).flatMap(([name, raw]) => {
      const role = valid(assumedRoleSchema, raw);
      if (role === undefined) return [];
      return [[name, typeof role === 'string' ? { roleArn: role, written: 'arn' as const } : { ...role, written: 'object' as const }] as const];
    }),
  );
  return {
    ...(target !== undefined && { target }),
    hasAllowedAccountIds: Object.hasOwn(data, 'allowedAccountIds'),
    ...(allowedAccountIds !== undefined && { allowedAccountIds }),
    ...(data['regions'] !== undefined && { regions: valid(regionsSchema, data['regions']) }),
    resources,
    claimedKinds,
    faults,
    stopConditions,
    hasSim: Object.hasOwn(data, 'sim'),
    sim,
    hasRoles: Object.hasOwn(data, 'roles'),
    roles,
    hasHttpVia: Object.hasOwn(data, 'httpVia'),
    hasRequireTag: Object.hasOwn(data, 'requireTag'),
  };
}

function build(file: EnvironmentFile, fileName: string, faults: Record<string, Fault>, source: SourceText): Environment {
  const common = {
    name: path.basename(fileName).replace(/\.ya?ml$/i, ''),
    file: fileName,
    ...(file.description !== undefined && { description: file.description }),
    ...(file.strategy !== undefined && { strategy: file.strategy }),
    regions: file.regions,
    resources: buildResources(file.resources),
    faults,
    stopConditions: file.stopConditions.map((condition) => ({ source: 'aws:cloudwatch:alarm' as const, value: condition.alarm })),
    probes: {
      resolutionSeconds: file.probes.resolutionSeconds,
      consecutiveSuccesses: file.probes.consecutiveSuccesses,
      steadyStateWithinSeconds: file.probes.steadyStateWithin,
      ...(file.probes.observeAfterBreach !== undefined ? { observeAfterBreachSeconds: file.probes.observeAfterBreach } : {}),
    },
    locations: locationsOf(file, source),
  };
  if (file.target === 'aws') {
    const [first, ...rest] = file.allowedAccountIds ?? [];
    // checks.ts has already refused an aws environment without allowedAccountIds.
    if (first === undefined) throw new Error('unreachable: aws environment without allowedAccountIds passed the checks');
    return {
      ...common,
      target: 'aws',
      afterScenario: file.afterScenario ?? 'failBack',
      allowedAccountIds: [first, ...rest],
      roles: buildRoles(file.roles ?? {}),
      ...(file.httpVia ? { httpVia: file.httpVia } : {}),
      ...(file.requireTag ? { requireTag: file.requireTag } : {}),
    };
  }
  return { ...common, target: 'sim', afterScenario: file.afterScenario ?? 'failBack', allowedAccountIds: file.allowedAccountIds ?? [], sim: buildSim(file.sim ?? simSchema.parse({})) };
}

/** Where each resource and each orders-api deployment is written, for messages after loading. */
function locationsOf(file: EnvironmentFile, source: SourceText): Record<string, SourceLocation> {
  const paths: DocPath[] = [];
  for (const [alias, resource] of Object.entries(file.resources)) {
    paths.push(['resources', alias]);
    if (resource.kind === 'orders-api') for (const region of Object.keys(resource.regions)) paths.push(['resources', alias, 'regions', region]);
  }
  if (file.roles) paths.push(['roles']);
  return Object.fromEntries(
    paths.map((path) => {
      const { line, column } = source.problem(path, '');
      return [formatPath(path), { line, column }];
    }),
  );
}

function buildRoles(entries: Record<string, AssumedRoleEntry>): Record<string, AssumedRole> {
  return Object.fromEntries(
    Object.entries(entries).map(([name, role]) => [
      name,
      typeof role === 'string'
        ? { name, roleArn: role }
        : { name, roleArn: role.roleArn, ...(role.externalId !== undefined ? { externalId: role.externalId } : {}) },
    ]),
  );
}

function buildResources(entries: Record<string, ResourceEntry>): Record<string, Resource> {
  const resources: Record<string, Resource> = {};
  for (const [alias, entry] of Object.entries(entries)) {
    switch (entry.kind) {
      case 'rds-read-replica': {
        const primary = entries[entry.source];
        // checks.ts guarantees the source is an rds-instance.
        const inherited = primary?.kind === 'rds-instance' ? primary.instanceClass : '';
        resources[alias] = { alias, ...entry, instanceClass: entry.instanceClass ?? inherited };
        break;
      }
      case 'dns-failover-record':
        // The schema admits only 10 and 30.
        resources[alias] = { alias, ...entry, healthCheck: { ...entry.healthCheck, intervalSeconds: entry.healthCheck.intervalSeconds as 10 | 30 } };
        break;
      default:
        resources[alias] = { alias, ...entry };
    }
  }
  return resources;
}

function buildSim(sim: SimEntry): SimSettings {
  const calibration: SimSettings['calibration'] = {};
  for (const [key, override] of Object.entries(sim.calibration)) {
    // The schema's key check guarantees a calibration key.
    const name = key as keyof typeof defaultCalibration;
    const fallback = defaultCalibration[name];
    const share = override.tailShare ?? fallback.tail?.share ?? 0;
    const factor = override.tailFactor ?? fallback.tail?.factor ?? 2;
    Object.assign(calibration, {
      [name]: {
        minSeconds: override.minSeconds ?? fallback.minSeconds,
        maxSeconds: override.maxSeconds ?? fallback.maxSeconds,
        ...(share > 0 ? { tail: { share, factor } } : {}),
      },
    });
  }
  return {
    seed: sim.seed,
    ...(sim.samples !== undefined ? { samples: sim.samples } : {}),
    confidence: sim.confidence,
    accountId: sim.accountId,
    calibration,
    roles: sim.roles,
    identities: sim.identities,
    subnets: Object.entries(sim.subnets).flatMap(([region, subnets]) => subnets.map((subnet) => ({ ...subnet, region }))),
    transitGateways: Object.entries(sim.transitGateways).flatMap(([region, gateways]) =>
      gateways.map((gateway) => ({
        id: gateway.id,
        region,
        // Peered, unless told otherwise, with every other region that has a transit gateway to peer with.
        peerRegions: gateway.peerRegions ?? Object.keys(sim.transitGateways).filter((other) => other !== region && (sim.transitGateways[other]?.length ?? 0) > 0),
        tags: gateway.tags,
      })),
    ),
  };
}
