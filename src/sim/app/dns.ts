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

export class DnsResolver {
  private readonly cache = new Map<string, CachedAnswer>();
  private readonly maxChain: number;

  constructor(private readonly options: DnsResolverOptions) {
    this.maxChain = options.maxChain ?? 8;
  }

  /** The addresses `host` resolves to now (A records, following CNAMEs and aliases). */
  resolve(host: string): Resolution {
    const steps: ResolvedStep[] = [];
    let name = normalizeName(host.trim());
    for (let hop = 0; hop <= this.maxChain; hop++) {
      const local = this.options.localHosts?.(name);
      const step = this.query(name, 'A');
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
    if (answer.rcode !== 'REFUSED' && answer.ttlSeconds > 0) this.cache.set(key, { answer, storedAt: now, expiresAt });
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
  }
}

function minExpiry(steps: readonly ResolvedStep[], fallback: EpochMs): EpochMs {
  let earliest = fallback;
  for (const step of steps) {
    if (step.answer.rcode !== 'REFUSED' && step.answer.ttlSeconds > 0) earliest = Math.min(earliest, step.expiresAt);
  }
  return earliest;
}
