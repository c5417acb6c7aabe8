import { AwsError, type FisActionDefinition } from '../../types.js';
import { parseAlarmArn } from '../cloudwatch/index.js';
import { parseIsoDuration } from './action-run.js';
import type { StopCondition, TemplateAction, TemplateTarget } from './types.js';

/** FIS's checks on an experiment template, each failing with a ValidationException that names the problem. */

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** AWS's wording for a required member left out. */
export function missing(member: string): AwsError {
  return validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
}

/**
 * The target parameters FIS takes per resource type, and the path in the
 * resource's API shape each selects on (zones by name or zone ID).
 */
export const targetParameters: Readonly<Record<string, Readonly<Record<string, { path: string; zones?: true }>>>> = {
  'aws:ec2:subnet': { availabilityZoneIdentifier: { path: 'AvailabilityZone', zones: true }, vpc: { path: 'VpcId' } },
  'aws:ec2:ebs-volume': { availabilityZoneIdentifier: { path: 'AvailabilityZone', zones: true } },
  'aws:rds:cluster': { writerAvailabilityZoneIdentifiers: { path: 'WriterAvailabilityZone', zones: true } },
  'aws:rds:db': { availabilityZoneIdentifiers: { path: 'AvailabilityZone', zones: true } },
};

/** `use1-az2` in us-east-1 → `us-east-1b` (the sim numbers a region's zones by letter); a zone name stays as it is. */
export function zoneNameOf(identifier: string, region: string): string {
  const id = /^[a-z]+\d-az(\d)$/.exec(identifier);
  if (!id) return identifier;
  return region + String.fromCharCode('a'.charCodeAt(0) + Number(id[1]) - 1);
}

export type Selection = { kind: 'ALL' } | { kind: 'COUNT'; n: number } | { kind: 'PERCENT'; n: number };

export function parseSelectionMode(mode: string): Selection | undefined {
  if (mode === 'ALL') return { kind: 'ALL' };
  const match = /^(COUNT|PERCENT)\((\d+)\)$/.exec(mode);
  if (!match) return undefined;
  const n = Number(match[2]);
  if (n < 1 || (match[1] === 'PERCENT' && n > 100)) return undefined;
  return { kind: match[1] as 'COUNT' | 'PERCENT', n };
}

export interface TemplateSpec {
  targets: Record<string, TemplateTarget>;
  actions: Record<string, TemplateAction>;
  stopConditions: StopCondition[];
}

export function validateTemplate(spec: TemplateSpec, actionById: (id: string) => FisActionDefinition | undefined): void {
  validateStopConditions(spec.stopConditions);
  for (const [name, target] of Object.entries(spec.targets)) validateTarget(name, target);
  const names = Object.keys(spec.actions);
  if (names.length === 0) throw validation('An experiment template must contain at least one action.');
  for (const [name, action] of Object.entries(spec.actions)) {
    validateAction(name, action, spec.targets, actionById);
  }
  for (const [name, action] of Object.entries(spec.actions)) {
    for (const before of action.startAfter) {
      if (before === name) throw validation(`Action "${name}" cannot start after itself.`);
      if (!(before in spec.actions)) {
        throw validation(`Action "${name}" has startAfter "${before}", which is not an action in this template.`);
      }
    }
  }
  const cycle = findCycle(spec.actions);
  if (cycle) throw validation(`The startAfter references form a cycle: ${cycle.join(' -> ')}.`);
}

function validateStopConditions(conditions: StopCondition[]): void {
  if (conditions.length === 0) throw validation('An experiment template needs at least one stop condition (source "none" for none).');
  for (const condition of conditions) {
    if (condition.source === 'none') {
      if (conditions.length > 1) throw validation('A stop condition with source "none" cannot be combined with other stop conditions.');
      continue;
    }
    if (condition.source !== 'aws:cloudwatch:alarm') {
      throw validation(`Stop condition source "${condition.source}" is not supported; use "aws:cloudwatch:alarm" or "none".`);
    }
    if (!condition.value) throw validation('A stop condition with source "aws:cloudwatch:alarm" needs the alarm ARN as its value.');
    if (!parseAlarmArn(condition.value)) throw validation(`Stop condition value "${condition.value}" is not a CloudWatch alarm ARN.`);
  }
}

function validateTarget(name: string, target: TemplateTarget): void {
  if (!target.resourceType) throw missing(`targets.${name}.resourceType`);
  if (!target.selectionMode) throw missing(`targets.${name}.selectionMode`);
  if (!parseSelectionMode(target.selectionMode)) {
    throw validation(`Target "${name}" has selectionMode "${target.selectionMode}"; use ALL, COUNT(n) or PERCENT(n).`);
  }
  const byArns = (target.resourceArns?.length ?? 0) > 0;
  const byTags = Object.keys(target.resourceTags ?? {}).length > 0;
  if (byArns && byTags) throw validation(`Target "${name}" cannot specify both resourceArns and resourceTags.`);
  if (byArns && (target.filters?.length ?? 0) > 0) throw validation(`Target "${name}" cannot combine resourceArns with filters.`);
  if (!byArns && !byTags && (target.filters?.length ?? 0) === 0 && Object.keys(target.parameters ?? {}).length === 0) {
    throw validation(`Target "${name}" must specify resourceArns, resourceTags, filters or parameters.`);
  }
  for (const arn of target.resourceArns ?? []) {
    if (!arn.startsWith('arn:')) throw validation(`Target "${name}" lists "${arn}", which is not an ARN.`);
  }
  const accepted = targetParameters[target.resourceType] ?? {};
  for (const parameter of Object.keys(target.parameters ?? {})) {
    if (!(parameter in accepted)) {
      const names = Object.keys(accepted);
      throw validation(
        `Target "${name}" (${target.resourceType}) has no parameter "${parameter}"` + (names.length ? `; it takes ${names.join(', ')}.` : '; it takes none.'),
      );
    }
  }
}

function validateAction(
  name: string,
  action: TemplateAction,
  targets: Record<string, TemplateTarget>,
  actionById: (id: string) => FisActionDefinition | undefined,
): void {
  if (!action.actionId) throw missing(`actions.${name}.actionId`);
  const definition = actionById(action.actionId);
  if (!definition) throw validation(`Action "${name}": action type "${action.actionId}" does not exist.`);
  for (const [key, targetName] of Object.entries(action.targets)) {
    const wanted = definition.targets[key];
    if (wanted === undefined) {
      const accepted = Object.keys(definition.targets);
      throw validation(
        `Action "${name}" (${action.actionId}) does not take a target "${key}"` +
          (accepted.length ? `; it takes ${accepted.join(', ')}.` : '; it takes no targets.'),
      );
    }
    const target = targets[targetName];
    if (!target) throw validation(`Action "${name}" refers to target "${targetName}", which is not defined in this template.`);
    if (target.resourceType !== wanted) {
      throw validation(
        `Action "${name}" (${action.actionId}) needs resource type ${wanted} for ${key}, but target "${targetName}" has ${target.resourceType}.`,
      );
    }
  }
  for (const key of Object.keys(definition.targets)) {
    if (!(key in action.targets)) throw validation(`Action "${name}" (${action.actionId}) requires a target for ${key}.`);
  }
  for (const [parameter, value] of Object.entries(action.parameters)) {
    if (!(parameter in definition.parameters)) {
      throw validation(`Action "${name}" (${action.actionId}) has no parameter "${parameter}".`);
    }
    if (parameter === 'duration' && parseIsoDuration(value) === undefined) {
      throw validation(`Action "${name}": duration "${value}" is not a valid ISO 8601 duration (e.g. PT5M, PT1H30M, PT90S).`);
    }
  }
  for (const [parameter, spec] of Object.entries(definition.parameters)) {
    if (spec.required && !(parameter in action.parameters)) {
      throw validation(`Action "${name}" (${action.actionId}) requires parameter "${parameter}".`);
    }
  }
}

/** One cycle through startAfter (as action names, first repeated at the end), or undefined. */
function findCycle(actions: Record<string, TemplateAction>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const seen = state.get(name);
    if (seen === 'done') return undefined;
    if (seen === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const before of actions[name]?.startAfter ?? []) {
      const cycle = visit(before);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(actions)) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}
