export { AppModule, createAppModule, standbyCapacity } from './app.js';
export { DnsResolver, resolveHost } from './dns.js';
export type { CacheHistory, CachedAnswer, DnsResolverOptions, DnsSource, Resolution, ResolvedStep } from './dns.js';
export type * from './types.js';
