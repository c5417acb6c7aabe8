import type { ServiceBinding, ServiceModule, SimWorld } from '../../types.js';
import { createRoute53Binding } from './binding.js';
import { Route53Model } from './model.js';

export { Route53Model } from './model.js';
export { HealthChecks, CONNECT_TIMEOUT_MS, HEALTHY_SHARE } from './health-checks.js';
export { ROUTE53_VERSION, ROUTE53_XML_NAMESPACE, route53MemberNames, route53Operations } from './binding.js';
export { route53Errors } from './errors.js';
export { normalizeName, wireName } from './names.js';
export type * from './types.js';
export { CHECKER_REGIONS, RECORD_TYPES } from './types.js';

/** Amazon Route 53: its model (zones, records, health checks, DNS answers) behind a restXml binding. */
export interface Route53Module extends ServiceModule {
  readonly name: 'route53';
  readonly binding: ServiceBinding;
  readonly model: Route53Model;
}

export function createRoute53Module(world: SimWorld): Route53Module {
  const model = new Route53Model(world);
  return { name: 'route53', binding: createRoute53Binding(model), model };
}
