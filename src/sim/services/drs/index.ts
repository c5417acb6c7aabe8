import type { ServiceModule, SimWorld } from '../../types.js';
import { createDrsBinding } from './binding.js';
import { DrsModel } from './model.js';

export { DrsModel, type PageInput } from './model.js';
export { drsOperations, isoDuration } from './binding.js';
export { DrsError, drsErrors } from './errors.js';
export type * from './types.js';

/** AWS Elastic Disaster Recovery: source servers replicating into a staging area, drills and recoveries, over restJson1. */
export interface DrsModule extends ServiceModule {
  readonly name: 'drs';
  readonly model: DrsModel;
}

export function createDrsModule(world: SimWorld): DrsModule {
  const model = new DrsModel(world);
  return { name: 'drs', model, binding: createDrsBinding(model) };
}
