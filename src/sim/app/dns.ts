import type { EpochMs } from '../../clock/types.js';
import type { Rng } from '../types.js';
import { normalizeName } from '../services/route53/names.js';
import type { AnswerOptions, DnsAnswer } from '../services/route53/types.js';

/**
 * A caching stub resolver owned by one client (a probe, a canary, an app
 * instance). It asks Route 53's name servers and keeps each answer for its
 * TTL on the virtual clock, so a client sees a DNS failover only once the
 * answer it holds has expired, like a real resolver does.
 */

/** Whoever answers DNS questions (Route 53's data plane). */
export interface DnsSource {
  answer(name: string, type: string, options?: AnswerOptions): DnsAnswer;
}

export interface DnsResolverOptions {
  clock: { now(): EpochMs };
  /** Asked on every cache miss, so Route 53 may be registered after the resolver is made. */
  source: () => DnsSource | undefined;
  /**
   * Names no Route 53 zone serves, answered the way a VPC's own DNS or
   * /etc/hosts would (the regional endpoints of the app). Never cached.
   */
  localHosts?: (name: string) => string[] | undefined;
  /** Draws for weighted answers, independent of every other client's. */
  rng: Rng;
  /** For latency-based records. */
  clientRegion?: string;
  /** CNAME and alias chains longer than this fail (SERVFAIL). */
  maxChain?: number;
}

export interface CachedAnswer {
  answer: DnsAnswer;
  storedAt: EpochMs;
  expiresAt: EpochMs;
}

export interface ResolvedStep {
  name: string;
  answer: DnsAnswer;
  fromCache: boolean;
  expiresAt: EpochMs;
}

export type Resolution =
  | {
      ok: true;
      host: string;
      addresses: string[];
      /** The last name in the CNAME chain. */
      canonicalName: string;
      /** When the first cached link of the chain expires: until then this client gets the same answer. */
      expiresAt: EpochMs;
      steps: ResolvedStep[];
    }
  | { ok: false; host: string; rcode: 'NXDOMAIN' | 'SERVFAIL' | 'NODATA'; steps: ResolvedStep[] };

/** What a resolver's cache held for one question over time: each answer it kept, and when it was flushed. */
export interface CacheHistory {
  /** Oldest first; at most one is in force at any instant. */
  readonly answers: readonly CachedAnswer[];
  readonly flushes: readonly EpochMs[];
}

export class DnsResolver {
  private readonly cache = new Map<string, CachedAnswer>();
  /** Every answer ever kept, by question: the cache's history, for ground truth. */
  private readonly kept = new Map<string, CachedAnswer[]>();
  private readonly flushes: EpochMs[] = [];
  private readonly maxChain: number;

  constructor(private readonly options: DnsResolverOptions) {
    this.maxChain = options.maxChain ?? 8;
  }

  /** The addresses `host` resolves to now (A records, following CNAMEs and aliases). */
  resolve(host: string): Resolution {
    return resolveHost(host, (name) => this.query(name, 'A'), this.options.localHosts, this.maxChain);
  }

  /** One question, from the cache while the answer's TTL lasts. */
  query(name: string, type: string): ResolvedStep {
    const qname = normalizeName(name);
    const key = `${qname}|${type}`;
    const now = this.options.clock.now();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return { name: qname, answer: cached.answer, fromCache: true, expiresAt: cached.expiresAt };
    this.cache.delete(key);
    const source = this.options.source();
    const answer: DnsAnswer = source
      ? source.answer(qname, type, { rng: this.options.rng, ...(this.options.clientRegion ? { clientRegion: this.options.clientRegion } : {}) })
      : { rcode: 'REFUSED', name: qname, type, records: [], ttlSeconds: 0 };
    const expiresAt = now + answer.ttlSeconds * 1000;
    // REFUSED is no zone's answer (nobody is authoritative): there is nothing to keep.
    if (answer.rcode !== 'REFUSED' && answer.ttlSeconds > 0) {
      const entry = { answer, storedAt: now, expiresAt };
      this.cache.set(key, entry);
      let kept = this.kept.get(key);
      if (!kept) this.kept.set(key, (kept = []));
      kept.push(entry);
    }
    return { name: qname, answer, fromCache: false, expiresAt };
  }

  /** What this client holds for a name, if anything, still valid now. */
  cached(name: string, type = 'A'): CachedAnswer | undefined {
    const entry = this.cache.get(`${normalizeName(name)}|${type}`);
    return entry && entry.expiresAt > this.options.clock.now() ? entry : undefined;
  }

  /** Forget every cached answer (a restarted client, `systemd-resolve --flush-caches`). */
  flush(): void {
    this.cache.clear();
    this.flushes.push(this.options.clock.now());
  }

  /** Everything this resolver's cache held for a question, and its flushes (ground truth; read-only). */
  history(name: string, type = 'A'): CacheHistory {
    return { answers: this.kept.get(`${normalizeName(name)}|${type}`) ?? [], flushes: this.flushes };
  }

  /** The answer this resolver's cache held for a question at instant `at` (past or present), if any. */
  cachedAt(name: string, type: string, at: EpochMs): CachedAnswer | undefined {
    const { answers, flushes } = this.history(name, type);
    for (let i = answers.length - 1; i >= 0; i--) {
      const entry = answers[i]!;
      if (entry.storedAt > at) continue;
      // Answers are kept one after another: the newest stored by `at` is the only candidate.
      if (entry.expiresAt <= at || flushes.some((f) => f >= entry.storedAt && f <= at)) return undefined;
      return entry;
    }
    return undefined;
  }
}

/**
 * Resolve `host` to addresses, one question at a time through `query`
 * (following CNAMEs and aliases), falling back to `localHosts` for names no
 * zone serves. The resolver's own logic, usable with another source of
 * answers (what a client's cache held at some past instant).
 */
export function resolveHost(
  host: string,
  query: (name: string) => ResolvedStep,
  localHosts: ((name: string) => string[] | undefined) | undefined,
  maxChain = 8,
): Resolution {
  const steps: ResolvedStep[] = [];
  let name = normalizeName(host.trim());
  for (let hop = 0; hop <= maxChain; hop++) {
    const local = localHosts?.(name);
    const step = query(name);
    steps.push(step);
    const answer = step.answer;
    if (answer.rcode === 'REFUSED' || (answer.rcode === 'NXDOMAIN' && local)) {
      if (local && local.length > 0) {
        return { ok: true, host, addresses: [...local], canonicalName: name, expiresAt: minExpiry(steps, Infinity), steps };
      }
      return { ok: false, host, rcode: 'NXDOMAIN', steps };
    }
    if (answer.rcode !== 'NOERROR') return { ok: false, host, rcode: answer.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'SERVFAIL', steps };
    const cname = answer.records.find((r) => r.type === 'CNAME');
    if (cname) {
      name = normalizeName(cname.value);
      continue;
    }
    const addresses = answer.records.filter((r) => r.type === 'A').map((r) => r.value);
    if (addresses.length === 0) return { ok: false, host, rcode: 'NODATA', steps };
    return { ok: true, host, addresses, canonicalName: name, expiresAt: minExpiry(steps, Infinity), steps };
  }
  return { ok: false, host, rcode: 'SERVFAIL', steps };
}

function minExpiry(steps: readonly ResolvedStep[], fallback: EpochMs): EpochMs {
  let earliest = fallback;
  for (const step of steps) {
    if (step.answer.rcode !== 'REFUSED' && step.answer.ttlSeconds > 0) earliest = Math.min(earliest, step.expiresAt);
  }
  return earliest;
}
