import type { ServiceBinding, ServiceModule, SimWorld } from '../../types.js';
import { createStsBinding } from './binding.js';
import { StsModel } from './model.js';

export { STS_VERSION, STS_XML_NAMESPACE } from './binding.js';
export { StsModel, type CallerIdentity } from './model.js';

/** AWS Security Token Service, as far as game days need it: who is calling (the account guard, DESIGN §9). */
export interface StsModule extends ServiceModule {
  readonly name: 'sts';
  readonly binding: ServiceBinding;
  readonly model: StsModel;
}

export function createStsModule(_world: SimWorld): StsModule {
  const model = new StsModel();
  return { name: 'sts', binding: createStsBinding(model), model };
}
