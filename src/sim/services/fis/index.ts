import type { FisActionDefinition, ServiceBinding, ServiceModule, SimWorld } from '../../types.js';
import { createFisBinding } from './binding.js';
import { FisModel } from './model.js';
import { defaultFisQuotas, type FisQuotas } from './types.js';

export { durationParameter, holdFor, injectFor, parseIsoDuration } from './action-run.js';
export { roleNameOf } from './actions.js';
export { fisOperations } from './binding.js';
export { FisModel, reasons as fisReasons } from './model.js';
export type * from './types.js';

export interface FisModuleOptions {
  quotas?: Partial<FisQuotas>;
}

/** AWS Fault Injection Service: the model behind a restJson1 binding, plus FIS's own actions. */
export interface FisModule extends ServiceModule {
  readonly name: 'fis';
  readonly binding: ServiceBinding;
  readonly fisActions: FisActionDefinition[];
  readonly model: FisModel;
}

export function createFisModule(world: SimWorld, options: FisModuleOptions = {}): FisModule {
  const model = new FisModel(world, { ...defaultFisQuotas, ...options.quotas });
  return {
    name: 'fis',
    binding: createFisBinding(model),
    fisActions: model.fisActions,
    model,
  };
}
