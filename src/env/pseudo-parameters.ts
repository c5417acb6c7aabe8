import type { DocPath } from './source.js';
import { didYouMean } from './suggest.js';

/**
 * CloudFormation's pseudo parameters in FIS templates: `${AWS::AccountId}`,
 * `${AWS::Region}` and `${AWS::Partition}` may stand in any string value of
 * a template (the role's ARN, stop-condition alarms, targets' resourceArns,
 * parameters), so that one template file serves the sim's account and
 * staging's. They are resolved when the environment is loaded, from the
 * environment's account (the sim's `sim.accountId`; an aws environment's
 * one allowed account) and the fault's region, before the template's shape
 * and account checks run: every check, the tag guard, the dry run and the
 * experiment FIS is given see the resolved template, never the placeholder.
 *
 * `${gameday:AvailabilityZones}` is gameday's own: the fault region's
 * Availability Zones, comma-joined as FIS's availabilityZoneIdentifiers
 * takes them, so that a zone-starving action covers every zone of the
 * region, however many the account has there (`${AWS::Region}a,b` left
 * staging's third zone open). Its value comes from the environment's
 * regions.availabilityZones, or on the sim from the sim's own zones.
 *
 * Only the `${AWS::…}` and `${gameday:…}` forms are read; any other `${…}`
 * is left as written.
 */

export const PSEUDO_PARAMETERS = ['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'gameday:AvailabilityZones'] as const;
export type PseudoParameter = (typeof PSEUDO_PARAMETERS)[number];

/** A value for each pseudo parameter, or why this environment cannot give one. */
export type PseudoValues = Record<PseudoParameter, { value: string } | { unavailable: string }>;

export interface PseudoProblem {
  path: DocPath;
  message: string;
}

/** The partition a region is in: ARNs in China and GovCloud do not start `arn:aws:`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

const REFERENCE = /\$\{((?:AWS::|gameday:)[^}]*)\}/g;

/**
 * `data` (a parsed template) with every `${AWS::…}` and `${gameday:…}` in
 * its string values replaced, the pseudo parameters it used, and a problem
 * at each string that names an unknown pseudo parameter or one this
 * environment has no value for (such a reference is left as written; the
 * loader then checks the template no further, since every later check
 * would only trip over the placeholder).
 */
export function resolvePseudoParameters(data: unknown, values: PseudoValues): { data: unknown; problems: PseudoProblem[]; used: Set<PseudoParameter> } {
  const problems: PseudoProblem[] = [];
  const used = new Set<PseudoParameter>();
  const walk = (value: unknown, path: PropertyKey[]): unknown => {
    if (typeof value === 'string') return value.includes('${AWS::') || value.includes('${gameday:') ? substitute(value, path) : value;
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return value;
  };
  const substitute = (text: string, path: PropertyKey[]): string =>
    text.replace(REFERENCE, (written, name: string) => {
      if (!(PSEUDO_PARAMETERS as readonly string[]).includes(name)) {
        const known = PSEUDO_PARAMETERS.map((p) => `\${${p}}`);
        problems.push({
          path,
          message: `unknown pseudo parameter \${${name}}${didYouMean(`\${${name}}`, known)}: a template may use ${known.join(', ')}`,
        });
        return written;
      }
      used.add(name as PseudoParameter);
      const resolved = values[name as PseudoParameter];
      if ('value' in resolved) return resolved.value;
      problems.push({ path, message: `\${${name}} cannot be resolved: ${resolved.unavailable}` });
      return written;
    });
  return { data: walk(data, []), problems, used };
}
