import type { ServiceBinding, ServiceModule, SimWorld } from '../../types.js';
import type { SessionIssuer } from '../../world.js';
import { createStsBinding } from './binding.js';
import { StsModel, type RoleSession } from './model.js';

export { STS_VERSION, STS_XML_NAMESPACE } from './binding.js';
export { StsModel, type AssumeRoleInput, type AssumeRoleOutput, type CallerIdentity, type RoleSession, type TemporaryCredentials } from './model.js';

/**
 * AWS Security Token Service, as far as game days need it: who is calling
 * (the account guard, DESIGN §9), and AssumeRole, whose temporary keys act
 * as the role for the rest of the run (the world asks `sessionOf`).
 */
export interface StsModule extends ServiceModule, SessionIssuer {
  readonly name: 'sts';
  readonly binding: ServiceBinding;
  readonly model: StsModel;
  sessionOf(accessKeyId: string): RoleSession | undefined;
}

export function createStsModule(world: SimWorld): StsModule {
  const model = new StsModel(world);
  return { name: 'sts', binding: createStsBinding(model), model, sessionOf: (accessKeyId) => model.sessionOf(accessKeyId) };
}
