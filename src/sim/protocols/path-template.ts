/**
 * REST path templates (`/experimentTemplates/{id}`, `/{Bucket}/{Key+}`), shared
 * by the restJson1 and restXml codecs: compile once, match per request.
 */
export interface Segment {
  literal?: string;
  label?: string;
  greedy?: boolean;
}

export function splitPath(path: string): string[] {
  const parts = path.split('/');
  if (parts[0] === '') parts.shift();
  // A trailing slash names the same resource.
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** `/a/{b}/{c+}` → segments; a greedy label must come last. */
export function compileTemplate(template: string): Segment[] {
  const parts = splitPath(template);
  return parts.map((part, i): Segment => {
    const label = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(part);
    if (!label) {
      if (part.includes('{')) throw new Error(`bad path template segment "${part}" in ${template}`);
      return { literal: part };
    }
    const greedy = label[2] === '+';
    if (greedy && i !== parts.length - 1) throw new Error(`greedy label must be last in ${template}`);
    return { label: label[1]!, greedy };
  });
}

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    // Malformed percent-encoding cannot name any resource: the route does not match.
    return undefined;
  }
}

/** The decoded labels when `path` fits the template, else undefined. */
export function matchPath(segments: readonly Segment[], path: string): Record<string, string> | undefined {
  // Split before decoding: a label may carry an encoded slash (`%2F` in an ARN).
  const parts = splitPath(path);
  const labels: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.greedy) {
      const rest = parts.slice(i);
      if (rest.length === 0) return undefined;
      const decoded = decode(rest.join('/'));
      if (decoded === undefined) return undefined;
      labels[segment.label!] = decoded;
      return labels;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.literal !== undefined) {
      if (part !== segment.literal) return undefined;
      continue;
    }
    const decoded = decode(part);
    if (decoded === undefined || decoded === '') return undefined;
    labels[segment.label!] = decoded;
  }
  return parts.length === segments.length ? labels : undefined;
}

/** A query member's first value (REST protocols read a repeated member's first). */
export function firstQueryValue(query: Readonly<Record<string, string | string[]>>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a query member, in order; none when absent. */
export function queryValues(query: Readonly<Record<string, string | string[]>>, name: string): string[] {
  const value = query[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}
