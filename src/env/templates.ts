import path from 'node:path';
import { accountScope, simZones, type Parts } from './checks.js';
import { problemsFromIssues } from './issues.js';
import { jsonSyntaxError } from './json.js';
import { fisTemplateSchema } from './schema.js';
import { partitionOf, resolvePseudoParameters, type PseudoValues } from './pseudo-parameters.js';
import { formatPath, SourceText, type DocPath } from './source.js';
import { didYouMean, listOf } from './suggest.js';
import type { EnvironmentProblem, Fault, FisExperimentTemplate, FisTarget, ReadTextFile, SourceLocation } from './types.js';

/** Actions only the embedded simulator implements (DESIGN §6). */
const SIM_ONLY_ACTION_PREFIX = 'gameday:sim:';

interface TemplateFile {
  source?: SourceText;
  /** The parsed JSON, before its pseudo parameters are resolved (that depends on the fault's region). */
  data?: unknown;
  /** Why it could not be read at all (reported at the fault, in the environment file). */
  unreadable?: string;
  /** Problems inside the template file itself, reported once however many faults share it. */
  problems: EnvironmentProblem[];
}

/**
 * Read, parse and check the template of every fault. A template path is
 * relative to the environment file, as a reader of the file would expect.
 */
export async function loadFaults(
  parts: Parts,
  envSource: SourceText,
  readFile: ReadTextFile,
): Promise<{ faults: Record<string, Fault>; problems: EnvironmentProblem[] }> {
  const files = new Map<string, Promise<TemplateFile>>();
  const faults: Record<string, Fault> = {};
  const problems: EnvironmentProblem[] = [];
  /** What each template file has reported already: faults in different regions resolve it apart, but a problem in it is told once. */
  const reported = new Map<string, Set<string>>();
  const reportOnce = (file: string, found: readonly EnvironmentProblem[], fault: string) => {
    const seen = reported.get(file) ?? new Set<string>();
    reported.set(file, seen);
    for (const problem of found) {
      const key = `${problem.line}:${problem.column}:${problem.path}:${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ ...problem, message: `${problem.message} (template of fault ${fault})` });
    }
  };

  for (const [name, entry] of parts.faults) {
    const templateFile = path.isAbsolute(entry.template)
      ? entry.template
      : path.join(path.dirname(envSource.file), entry.template);
    if (!files.has(templateFile)) files.set(templateFile, readTemplate(templateFile, readFile));
    const loaded = await files.get(templateFile)!;

    if (loaded.unreadable !== undefined) {
      problems.push(envSource.problem(['faults', name, 'template'], loaded.unreadable));
      continue;
    }
    reportOnce(templateFile, loaded.problems, name);
    if (loaded.data === undefined || !loaded.source) continue;
    const { source } = loaded;

    const region = entry.region ?? parts.regions?.primary;
    // ${AWS::AccountId}, ${AWS::Region}, ${AWS::Partition} and ${gameday:AvailabilityZones} are filled in here, per fault (its
    // region), before the template's shape and account checks: those, and everything after loading, judge the template as FIS will get it.
    const resolved = resolvePseudoParameters(loaded.data, pseudoValues(parts, region));
    if (resolved.problems.length > 0) {
      reportOnce(templateFile, resolved.problems.map((p) => source.problem(p.path, p.message)), name);
      continue;
    }
    const parsed = fisTemplateSchema.safeParse(resolved.data);
    if (!parsed.success) {
      reportOnce(templateFile, problemsFromIssues(parsed.error.issues, source, fisTemplateSchema, resolved.data), name);
      continue;
    }
    const semantic = checkTemplate(parsed.data, source, parts, region);
    problems.push(...semantic.map((p) => ({ ...p, message: `${p.message} (template of fault ${name})` })));
    if (region !== undefined) {
      const declared = parts.regions?.availabilityZones?.[region];
      // The dry run checks the zones a template was given exist in the account, and says so at their lines in the environment.
      const declaredZones =
        declared && resolved.used.has('gameday:AvailabilityZones')
          ? {
              zones: declared,
              file: envSource.file,
              locations: declared.map((_, index) => {
                const { line, column } = envSource.problem(['regions', 'availabilityZones', region, index], '');
                return { line, column };
              }),
            }
          : undefined;
      faults[name] = { name, region, templateFile, template: parsed.data, templateLocations: locationsIn(source, resolved.data), ...(declaredZones && { declaredZones }) };
    }
  }
  return { faults, problems };
}

/** The values the pseudo parameters take in a fault of this environment running in `region`. */
function pseudoValues(parts: Parts, region: string | undefined): PseudoValues {
  // Without a region the environment's own regions problem is reported; the template is not checked against a guess.
  const noRegion = { unavailable: 'the environment names no region for this fault' };
  let account: PseudoValues['AWS::AccountId'];
  if (parts.target === 'aws') {
    const accounts = parts.allowedAccountIds ?? [];
    account =
      accounts.length === 1
        ? { value: accounts[0]! }
        : {
            unavailable:
              accounts.length === 0
                ? 'the environment names no account in allowedAccountIds'
                : `allowedAccountIds names ${accounts.length} accounts (${accounts.join(', ')}), and a template is created in one of them; write the account this template is for`,
          };
  } else {
    account = parts.sim.accountId !== undefined ? { value: parts.sim.accountId } : { unavailable: "the sim's sim.accountId is not valid" };
  }
  return {
    'AWS::AccountId': account,
    'AWS::Region': region !== undefined ? { value: region } : noRegion,
    // The simulator makes every ARN in the aws partition, whatever its regions are called.
    'AWS::Partition': region === undefined ? noRegion : { value: parts.target === 'aws' ? partitionOf(region) : 'aws' },
    'gameday:AvailabilityZones': region === undefined ? noRegion : availabilityZones(parts, region),
  };
}

/**
 * The zones of `region` a template names with `${gameday:AvailabilityZones}`:
 * the environment's, or on the sim the sim's own. An aws environment must
 * declare them: gameday cannot know how many zones the account has there,
 * and a guess that leaves one out is the very fault this parameter fixes.
 */
function availabilityZones(parts: Parts, region: string): PseudoValues['gameday:AvailabilityZones'] {
  const declared = parts.regions?.availabilityZones?.[region];
  if (declared) return { value: declared.join(',') };
  if (parts.target !== 'aws') return { value: simZones(parts, region).join(',') };
  const [a, b] = [`${region}a`, `${region}b`];
  return {
    unavailable: `the environment declares no Availability Zones for ${region}; add every zone the account uses there to it, as regions: { availabilityZones: { ${region}: [${a}, ${b}, …] } }`,
  };
}

/** Where each key and list item of a template is, by its path as problems show it, for what is found about the template after loading (the dry run). */
function locationsIn(source: SourceText, data: unknown): Record<string, SourceLocation> {
  const out: Record<string, SourceLocation> = {};
  const walk = (value: unknown, at: PropertyKey[]) => {
    const children: [PropertyKey, unknown][] = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : typeof value === 'object' && value !== null
        ? Object.entries(value)
        : [];
    for (const [key, child] of children) {
      const here = [...at, key];
      const { line, column } = source.problem(here, '');
      out[formatPath(here)] = { line, column };
      walk(child, here);
    }
  };
  walk(data, []);
  return out;
}

async function readTemplate(file: string, readFile: ReadTextFile): Promise<TemplateFile> {
  let text: string;
  try {
    text = await readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const unreadable =
      code === 'ENOENT'
        ? `template file not found: ${file}`
        : `cannot read template file ${file}: ${error instanceof Error ? error.message : String(error)}`;
    return { unreadable, problems: [] };
  }
  // Editors on Windows like to start JSON with a byte-order mark; JSON.parse does not.
  const json = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    const syntax = jsonSyntaxError(json) ?? { offset: 0, message: 'not valid JSON' };
    const { source } = SourceText.parse(file, json);
    return { problems: [source.problemAtOffset(syntax.offset, [], `not valid JSON: ${syntax.message}`)] };
  }
  // JSON is YAML's flow style; the YAML parser gives us positions for the schema's paths.
  const { source } = SourceText.parse(file, json);
  return { source, data, problems: [] };
}

/** A resource of the environment as FIS would see it, to evaluate a template's targets against on the sim. */
interface Targetable {
  alias: string;
  type: string;
  arn: string;
  /** Undefined for global resources (IAM roles). */
  region?: string;
  tags: Readonly<Record<string, string>>;
  multiAZ?: boolean;
}

function checkTemplate(template: FisExperimentTemplate, source: SourceText, parts: Parts, region: string | undefined): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  const targets = template.targets ?? {};
  const targetNames = Object.keys(targets);
  const actionNames = Object.keys(template.actions);
  const scope = accountScope(parts);
  // An invalid target leaves the sim-only checks out rather than guessing.
  const onSim = parts.target === 'sim';
  const environmentRegions = [parts.regions?.primary, parts.regions?.secondary].filter((r): r is string => r !== undefined);

  const checkAccount = (at: DocPath, arn: string, what: string) => {
    const account = arn.split(':')[4] ?? '';
    // S3 bucket ARNs name no account (arn:aws:s3:::name): bucket names are global.
    if (account === '') return;
    if (scope && !scope.accounts.includes(account)) problems.push(source.problem(at, `${what} is in account ${account}, not ${scope.describe}`));
  };

  checkAccount(['roleArn'], template.roleArn, 'the role');
  template.stopConditions.forEach((condition, index) => {
    if (condition.source === 'aws:cloudwatch:alarm' && condition.value !== undefined) {
      checkAccount(['stopConditions', index, 'value'], condition.value, 'the alarm');
    }
  });

  for (const [name, target] of Object.entries(targets)) {
    const at = ['targets', name];
    const given = [target.resourceArns, target.resourceTags, target.parameters].filter((x) => x !== undefined).length;
    if (target.resourceArns && target.resourceTags) {
      problems.push(source.problem(at, 'give resourceArns or resourceTags, not both'));
    } else if (given === 0) {
      problems.push(source.problem(at, 'a target needs resourceArns or resourceTags: FIS targets nothing by guess'));
    }
    target.resourceArns?.forEach((arn, index) => checkAccount([...at, 'resourceArns', index], arn, 'the resource'));
    if (onSim && region !== undefined) problems.push(...checkSelection(source, parts, name, target, region));
  }

  for (const [name, action] of Object.entries(template.actions)) {
    const at = ['actions', name];
    if (action.actionId.startsWith(SIM_ONLY_ACTION_PREFIX) && parts.target === 'aws') {
      problems.push(
        source.problem(
          [...at, 'actionId'],
          `${action.actionId} exists only in the simulator; an aws environment maps this fault to a real FIS template`,
        ),
      );
    }
    for (const [key, targetName] of Object.entries(action.targets ?? {})) {
      if (!Object.hasOwn(targets, targetName)) {
        problems.push(
          source.problem(
            [...at, 'targets', key],
            `no target called ${JSON.stringify(targetName)} in this template${didYouMean(targetName, targetNames)}; targets: ${listOf(targetNames)}`,
          ),
        );
      }
    }
    action.startAfter?.forEach((after, index) => {
      if (!actionNames.includes(after) || after === name) {
        const others = actionNames.filter((n) => n !== name);
        problems.push(source.problem([...at, 'startAfter', index], `no other action called ${JSON.stringify(after)}; actions: ${listOf(others)}`));
      }
    });
    const regionParameter = action.parameters?.['region'];
    if (regionParameter !== undefined && environmentRegions.length > 0 && !environmentRegions.includes(regionParameter)) {
      problems.push(
        source.problem([...at, 'parameters', 'region'], `${regionParameter} is not a region of this environment (${environmentRegions.join(', ')})`),
      );
    }
    if (onSim && region !== undefined && action.actionId === 'aws:rds:reboot-db-instances' && action.parameters?.['forceFailover'] === 'true') {
      problems.push(...checkForcedFailover(source, parts, name, action.targets ?? {}, targets, region));
    }
  }
  return problems;
}

/**
 * On the sim the environment is the whole account, so a target that selects
 * nothing is a mistake we can show now rather than as a failed experiment.
 * Targets with filters, and resource types the environment does not model,
 * are left to FIS.
 */
function checkSelection(source: SourceText, parts: Parts, name: string, target: FisTarget, region: string): EnvironmentProblem[] {
  if (!knownTypes.has(target.resourceType) || target.filters?.length) return [];
  const candidates = targetables(parts).filter((t) => t.type === target.resourceType);
  if (target.resourceArns) {
    return target.resourceArns.flatMap((arn, index) => {
      const at = ['targets', name, 'resourceArns', index];
      const found = candidates.find((c) => c.arn === arn);
      if (!found) return [source.problem(at, `${arn} is no ${target.resourceType} of this environment`)];
      // FIS resolves targets in the experiment's region; an S3 ARN does not say which region that is.
      if (found.region !== undefined && found.region !== region) {
        return [source.problem(at, `${found.alias} is in ${found.region}, but the experiment runs in ${region}; FIS targets resources in the experiment's region`)];
      }
      return [];
    });
  }
  if (target.resourceTags && selected(candidates, target, region).length === 0) {
    const tags = Object.entries(target.resourceTags).map(([k, v]) => `${k}=${v}`).join(', ');
    return [source.problem(['targets', name], `selects nothing: no ${target.resourceType} in ${region} is tagged ${tags}`)];
  }
  return [];
}

function checkForcedFailover(
  source: SourceText,
  parts: Parts,
  actionName: string,
  actionTargets: Record<string, string>,
  targets: Record<string, FisTarget>,
  region: string,
): EnvironmentProblem[] {
  const targetName = actionTargets['DBInstances'];
  const target = targetName === undefined ? undefined : targets[targetName];
  if (!target || target.filters?.length) return [];
  const singleAZ = selected(targetables(parts), target, region).filter((t) => t.multiAZ === false);
  if (singleAZ.length === 0) return [];
  return [
    source.problem(
      ['actions', actionName, 'parameters', 'forceFailover'],
      `forceFailover needs Multi-AZ instances, but target ${JSON.stringify(targetName)} selects ${listOf(singleAZ.map((t) => t.alias))} in ${region}, which ${singleAZ.length === 1 ? 'is' : 'are'} Single-AZ`,
    ),
  ];
}

const knownTypes = new Set(['aws:rds:db', 'aws:ec2:subnet', 'aws:iam:role', 'aws:dynamodb:global-table', 'aws:s3:bucket', 'aws:ec2:ebs-volume']);

function selected(candidates: readonly Targetable[], target: FisTarget, region: string): Targetable[] {
  return candidates.filter((c) => {
    if (c.type !== target.resourceType) return false;
    if (c.region !== undefined && c.region !== region) return false;
    if (target.resourceArns) return target.resourceArns.includes(c.arn);
    return Object.entries(target.resourceTags ?? {}).every(([key, value]) => c.tags[key] === value);
  });
}

function targetables(parts: Parts): Targetable[] {
  const account = parts.sim.accountId;
  if (account === undefined) return [];
  const out: Targetable[] = [];
  for (const [alias, resource] of parts.resources) {
    switch (resource.kind) {
      case 'rds-instance':
      case 'rds-read-replica':
        out.push({
          alias,
          type: 'aws:rds:db',
          // RDS keeps identifiers in lower case, and so do its ARNs.
          arn: `arn:aws:rds:${resource.region}:${account}:db:${resource.identifier.toLowerCase()}`,
          region: resource.region,
          tags: resource.tags,
          multiAZ: resource.multiAZ,
        });
        break;
      case 'dynamodb-table':
        // FIS sees each replica of a global table in its own region; a single-region table is no global table.
        if (resource.replicaRegions.length === 0) break;
        for (const region of [resource.region, ...resource.replicaRegions]) {
          out.push({
            alias,
            type: 'aws:dynamodb:global-table',
            arn: `arn:aws:dynamodb:${region}:${account}:table/${resource.identifier}`,
            region,
            tags: resource.tags,
          });
        }
        break;
      case 's3-bucket':
        out.push({ alias, type: 'aws:s3:bucket', arn: `arn:aws:s3:::${resource.identifier}`, region: resource.region, tags: resource.tags });
        break;
      case 'ebs-volume':
        out.push({
          alias,
          type: 'aws:ec2:ebs-volume',
          arn: `arn:aws:ec2:${resource.region}:${account}:volume/${resource.identifier}`,
          region: resource.region,
          tags: resource.tags,
        });
        break;
    }
  }
  for (const [region, subnets] of Object.entries(parts.sim.subnets ?? {})) {
    for (const subnet of subnets) {
      out.push({ alias: subnet.id, type: 'aws:ec2:subnet', arn: `arn:aws:ec2:${region}:${account}:subnet/${subnet.id}`, region, tags: subnet.tags });
    }
  }
  for (const role of parts.sim.roles ?? []) {
    out.push({ alias: role, type: 'aws:iam:role', arn: `arn:aws:iam::${account}:role/${role}`, tags: {} });
  }
  return out;
}
