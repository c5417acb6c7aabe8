export { AppModule, createAppModule, standbyCapacity } from './app.js';
export { DnsResolver } from './dns.js';
export type { CachedAnswer, DnsResolverOptions, DnsSource, Resolution, ResolvedStep } from './dns.js';
export type * from './types.js';
