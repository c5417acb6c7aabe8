import type { DbInstance, Tag } from './types.js';

/** What a snapshot or a retained backup keeps of the instance it came from. */
export function instanceRecord(instance: DbInstance) {
  return {
    instanceId: instance.id,
    resourceId: instance.resourceId,
    engine: instance.engine,
    engineVersion: instance.engineVersion,
    allocatedStorage: instance.allocatedStorage,
    storageType: instance.storageType,
    port: instance.port,
    availabilityZone: instance.availabilityZone,
    masterUsername: instance.masterUsername,
    instanceClass: instance.instanceClass,
    instanceCreatedAt: instance.createdAt,
  };
}

/** A seed spec's tags (a map) as the API's list. */
export function tagsOf(tags: Record<string, string> | undefined): Tag[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}
