import type { EpochMs } from '../../../clock/types.js';
import { backupErrors } from './errors.js';
import type { Page, PageInput } from './types.js';

/** How AWS Backup's List operations order, filter and page what they list; Backup Audit Manager's lists page the same way. */

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function newestFirst<T extends { createdAt: EpochMs; id?: string; arn?: string }>(items: T[]): T[] {
  return items.sort((a, b) => b.createdAt - a.createdAt || compare(a.id ?? a.arn ?? '', b.id ?? b.arn ?? ''));
}

export function within(at: EpochMs, after: EpochMs | undefined, before: EpochMs | undefined): boolean {
  return (after === undefined || at >= after) && (before === undefined || at <= before);
}

/** Offset pages: NextToken is where the next page starts. */
export function paginate<T>(items: readonly T[], input: PageInput): Page<T> {
  const max = input.MaxResults ?? 1000;
  if (max < 1 || max > 1000) throw backupErrors.invalidParameterValue(`MaxResults must be between 1 and 1000, not ${max}.`);
  let start = 0;
  if (input.NextToken !== undefined && input.NextToken !== '') {
    const decoded = /^[A-Za-z0-9_-]+$/.test(input.NextToken) ? Number(Buffer.from(input.NextToken, 'base64url').toString('utf8')) : NaN;
    if (!Number.isSafeInteger(decoded) || decoded < 0) throw backupErrors.invalidParameterValue(`Invalid NextToken ${input.NextToken}.`);
    start = decoded;
  }
  const page = items.slice(start, start + max);
  const next = start + page.length;
  return { items: page, ...(next < items.length ? { nextToken: Buffer.from(String(next), 'utf8').toString('base64url') } : {}) };
}
