import type { InstanceStatus } from './types.js';

/** What each engine the sim knows defaults to when a create call leaves it out; an engine not here is refused. */
export const engineDefaults: Record<string, { version: string; port: number; user: string }> = {
  postgres: { version: '16.4', port: 5432, user: 'postgres' },
  mysql: { version: '8.0.39', port: 3306, user: 'admin' },
  mariadb: { version: '10.11.9', port: 3306, user: 'admin' },
  'aurora-postgresql': { version: '16.4', port: 5432, user: 'postgres' },
  'aurora-mysql': { version: '8.0.mysql_aurora.3.07.1', port: 3306, user: 'admin' },
  'oracle-ee': { version: '19.0.0.0.ru-2024-10.rur-2024-10.r1', port: 1521, user: 'admin' },
  'oracle-se2': { version: '19.0.0.0.ru-2024-10.rur-2024-10.r1', port: 1521, user: 'admin' },
  'sqlserver-ee': { version: '16.00.4150.1.v1', port: 1433, user: 'admin' },
  'sqlserver-se': { version: '16.00.4150.1.v1', port: 1433, user: 'admin' },
  'sqlserver-ex': { version: '16.00.4150.1.v1', port: 1433, user: 'admin' },
  'sqlserver-web': { version: '16.00.4150.1.v1', port: 1433, user: 'admin' },
};

export const isAurora = (engine: string): boolean => engine.startsWith('aurora');

/** Statuses in which an instance answers connections. */
export const reachableStatuses: ReadonlySet<InstanceStatus> = new Set(['available', 'backing-up', 'modifying']);
