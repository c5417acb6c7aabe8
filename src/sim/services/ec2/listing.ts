import { ec2Errors } from './errors.js';
import type { FilterInput, Page, Tag, TagSpecificationInput } from './types.js';

/** What every Describe* of the EC2 API shares: filters, pages, tags. */

export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export const tagsOfResource = (resource: { tags: readonly Tag[] }): readonly Tag[] => resource.tags;

export function tagsOf(tags: Record<string, string> | undefined): Tag[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

export function checkTag(tag: Tag): void {
  if (tag.Key.length === 0 || tag.Key.length > 128) throw ec2Errors.invalidParameterValue('Tag keys must be between 1 and 128 characters long.');
  if (tag.Key.toLowerCase().startsWith('aws:')) throw ec2Errors.invalidParameterValue('Tag keys starting with \'aws:\' are reserved for internal use');
  if (tag.Value.length > 256) throw ec2Errors.invalidParameterValue('Tag values may be at most 256 characters long.');
}

/** The tags a TagSpecification list puts on a new resource of `resourceType`. */
export function tagsFor(resourceType: 'volume' | 'snapshot' | 'instance', specs: readonly TagSpecificationInput[] | undefined): Tag[] {
  const tags: Tag[] = [];
  for (const spec of specs ?? []) {
    if (spec.ResourceType !== undefined && spec.ResourceType !== resourceType) {
      throw ec2Errors.invalidParameterValue(`'${spec.ResourceType}' is not a valid taggable resource type for this operation.`);
    }
    for (const tag of spec.Tag) {
      checkTag(tag);
      const at = tags.findIndex((t) => t.Key === tag.Key);
      if (at >= 0) tags[at] = { ...tag };
      else tags.push({ ...tag });
    }
  }
  return tags;
}

/** EC2 filter values match whole strings, with `*` and `?` as wildcards. */
function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

/**
 * Filters as EC2 applies them: every filter must match one of its values;
 * `tag:Key`, `tag-key` and `tag-value` work wherever the resource has tags;
 * an unknown name is an error.
 */
export function applyFilters<T>(
  items: readonly T[],
  filters: readonly FilterInput[] | undefined,
  known: Record<string, (item: T) => string[]>,
  tagsOfItem?: (item: T) => readonly Tag[],
): T[] {
  if (!filters || filters.length === 0) return [...items];
  const tests = filters.map((filter) => {
    const patterns = filter.Value.map(wildcard);
    const matches = (values: string[]): boolean => values.some((v) => patterns.some((p) => p.test(v)));
    if (tagsOfItem && filter.Name.startsWith('tag:')) {
      const key = filter.Name.slice(4);
      return (item: T) => matches(tagsOfItem(item).filter((t) => t.Key === key).map((t) => t.Value));
    }
    if (tagsOfItem && filter.Name === 'tag-key') return (item: T) => matches(tagsOfItem(item).map((t) => t.Key));
    if (tagsOfItem && filter.Name === 'tag-value') return (item: T) => matches(tagsOfItem(item).map((t) => t.Value));
    const read = Object.hasOwn(known, filter.Name) ? known[filter.Name] : undefined;
    if (!read) throw ec2Errors.invalidFilter(filter.Name);
    return (item: T) => matches(read(item));
  });
  return items.filter((item) => tests.every((test) => test(item)));
}

/** One page: NextToken continues after the id it names. Without MaxResults, everything. */
export function paginate<T extends { id: string }>(items: readonly T[], input: { MaxResults?: number; NextToken?: string }, bounds: { min: number; max: number }): Page<T> {
  if (input.MaxResults !== undefined && (input.MaxResults < bounds.min || input.MaxResults > bounds.max)) {
    throw ec2Errors.invalidParameterValue(`Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Expecting a value between ${bounds.min} and ${bounds.max}.`);
  }
  let start = 0;
  if (input.NextToken !== undefined && input.NextToken !== '') {
    if (!/^[A-Za-z0-9_-]+$/.test(input.NextToken)) throw ec2Errors.invalidNextToken(input.NextToken);
    const after = Buffer.from(input.NextToken, 'base64url').toString('utf8');
    start = items.findIndex((item) => item.id > after);
    if (start < 0) start = items.length;
  }
  const max = input.MaxResults ?? items.length;
  const page = items.slice(start, start + max);
  const last = page[page.length - 1];
  const more = start + page.length < items.length;
  return { items: page, ...(more && last ? { nextToken: Buffer.from(last.id, 'utf8').toString('base64url') } : {}) };
}
