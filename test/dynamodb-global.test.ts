import {
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand, StopExperimentCommand } from '@aws-sdk/client-fis';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { createDynamoDbModule, DYNAMODB_GLOBAL_TABLE, type DynamoDbModule } from '../src/sim/services/dynamodb/index.js';
import { createFisModule } from '../src/sim/services/fis/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { MINUTE, SECOND } from './support/time.js';
import { EAST, START, WEST } from './support/sim.js';
import { rejection as failure } from './support/rejection.js';

/** dynamodb.replication.lag at its slowest: the slow tail's ceiling. */
const LONGEST_LAG = longestSeconds(defaultCalibration['dynamodb.replication.lag']) * SECOND;
const TABLE_ARN = (region: string, name = 'order-history') => `arn:aws:dynamodb:${region}:123456789012:table/${name}`;

interface Setup {
  clock: VirtualClock;
  sim: Simulator;
  east: DynamoDBClient;
  west: DynamoDBClient;
  fis: FisClient;
  dynamodb: DynamoDbModule;
}

async function setupOver(via: TransportHarness, seed = 42): Promise<Setup> {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [] });
  const dynamodb = sim.world.register(createDynamoDbModule(sim.world));
  sim.world.register(createFisModule(sim.world));
  return {
    clock,
    sim,
    east: new DynamoDBClient(await via.config(sim, clock, EAST)),
    west: new DynamoDBClient(await via.config(sim, clock, WEST)),
    fis: new FisClient(await via.config(sim, clock, EAST)),
    dynamodb,
  };
}

/** SecureCart's order history: a global table in us-east-1 and us-west-2, in sync at t = 0. */
function seedGlobal(s: Setup): void {
  s.dynamodb.model.seedTable({
    name: 'order-history',
    region: EAST,
    replicaRegions: [WEST],
    key: { hash: { name: 'id', type: 'S' } },
    items: [{ id: { S: 'seed' }, v: { N: '0' } }],
    tags: { app: 'securecart' },
  });
}

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });

const put = (client: DynamoDBClient, id: string, v: number) =>
  client.send(new PutItemCommand({ TableName: 'order-history', Item: { id: S(id), v: N(v) } }));

async function read(client: DynamoDBClient, id: string): Promise<number | undefined> {
  const item = (await client.send(new GetItemCommand({ TableName: 'order-history', Key: { id: S(id) } }))).Item;
  return item ? Number(item['v']!.N) : undefined;
}

describe.each(transports)('DynamoDB global tables over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (seed?: number) => setupOver(via, seed);

  describe('DynamoDB global tables', () => {
    it('describes the other region’s replica from each region', async () => {
      const s = await setup();
      seedGlobal(s);
      const east = (await s.east.send(new DescribeTableCommand({ TableName: 'order-history' }))).Table!;
      expect(east.GlobalTableVersion).toBe('2019.11.21');
      expect(east.Replicas).toEqual([{ RegionName: WEST, ReplicaStatus: 'ACTIVE', ReplicaArn: TABLE_ARN(WEST) }]);
      const west = (await s.west.send(new DescribeTableCommand({ TableName: 'order-history' }))).Table!;
      expect(west.Replicas).toEqual([{ RegionName: EAST, ReplicaStatus: 'ACTIVE', ReplicaArn: TABLE_ARN(EAST) }]);
      expect(await read(s.west, 'seed')).toBe(0);
    });

    it('replicates a write to the other region after a lag drawn from dynamodb.replication.lag (0.5–2.5 s, its slow tail up to 5 s)', async () => {
      const s = await setup();
      seedGlobal(s);
      await put(s.east, 'o-1', 1);
      const [record] = s.dynamodb.model.replicationBacklog('order-history');
      expect(record).toMatchObject({ from: EAST, to: WEST, item: { id: S('o-1'), v: N(1) } });
      const lag = record!.dueAt - START;
      expect(lag).toBeGreaterThanOrEqual(500);
      expect(lag).toBeLessThanOrEqual(LONGEST_LAG);

      expect(await read(s.east, 'o-1')).toBe(1);
      expect(await read(s.west, 'o-1')).toBeUndefined();
      await s.clock.advance(lag - 1);
      expect(await read(s.west, 'o-1')).toBeUndefined();
      await s.clock.advance(1);
      expect(await read(s.west, 'o-1')).toBe(1);
      expect(s.dynamodb.model.replicationBacklog('order-history')).toEqual([]);

      // The other way round, and an update of the same key.
      await put(s.west, 'o-1', 2);
      expect(await read(s.east, 'o-1')).toBe(1);
      await s.clock.advance(LONGEST_LAG);
      expect(await read(s.east, 'o-1')).toBe(2);
    });

    it('draws the same lags from the same seed', async () => {
      const lags = async () => {
        const s = await setup(9);
        seedGlobal(s);
        for (let i = 0; i < 5; i++) await put(s.east, `o-${i}`, i);
        return s.dynamodb.model.replicationBacklog().map((r) => r.dueAt);
      };
      const first = await lags();
      expect(first).toEqual(await lags());
      // Later writes never overtake earlier ones on the same stream.
      expect([...first].sort((a, b) => a - b)).toEqual(first);
    });

    it('keeps the last writer on a conflict, in both regions, ties broken by which call came later', async () => {
      const s = await setup();
      seedGlobal(s);
      await put(s.east, 'contested', 1);
      await s.clock.advance(100);
      await put(s.west, 'contested', 2);
      // Before replication each region sees its own write.
      expect(await read(s.east, 'contested')).toBe(1);
      expect(await read(s.west, 'contested')).toBe(2);
      await s.clock.advance(LONGEST_LAG);
      expect(await read(s.east, 'contested')).toBe(2);
      expect(await read(s.west, 'contested')).toBe(2);
      const superseded = s.sim.world.events.filter((e) => e.kind === 'dynamodb.replication.superseded');
      expect(superseded).toHaveLength(1);
      expect(superseded[0]!.detail).toMatchObject({ region: WEST, from: EAST, keptFrom: WEST });

      // Two writes in the same millisecond: the later call wins everywhere.
      await put(s.west, 'tie', 10);
      await put(s.east, 'tie', 20);
      await s.clock.advance(LONGEST_LAG);
      expect(await read(s.east, 'tie')).toBe(20);
      expect(await read(s.west, 'tie')).toBe(20);
    });

    it('adds a replica region with UpdateTable: CREATING, backfilled, then ACTIVE and replicating both ways', async () => {
      const s = await setup();
      s.dynamodb.model.seedTable({
        name: 'carts',
        region: EAST,
        key: { hash: { name: 'id', type: 'S' } },
        items: [{ id: { S: 'c1' } }, { id: { S: 'c2' } }],
      });
      const updated = await s.east.send(new UpdateTableCommand({ TableName: 'carts', ReplicaUpdates: [{ Create: { RegionName: WEST } }] }));
      expect(updated.TableDescription).toMatchObject({
        TableStatus: 'UPDATING',
        GlobalTableVersion: '2019.11.21',
        Replicas: [{ RegionName: WEST, ReplicaStatus: 'CREATING' }],
      });
      expect((await s.west.send(new DescribeTableCommand({ TableName: 'carts' }))).Table?.TableStatus).toBe('CREATING');
      await failure(s.west.send(new GetItemCommand({ TableName: 'carts', Key: { id: S('c1') } })), ResourceNotFoundException);
      // Writes keep coming in the source region while the replica is built.
      await s.east.send(new PutItemCommand({ TableName: 'carts', Item: { id: S('c3') } }));

      await s.clock.advance(20 * MINUTE);
      const west = (await s.west.send(new DescribeTableCommand({ TableName: 'carts' }))).Table!;
      expect(west.TableStatus).toBe('ACTIVE');
      expect(west.ItemCount).toBe(3);
      expect(west.Replicas).toEqual([{ RegionName: EAST, ReplicaStatus: 'ACTIVE', ReplicaArn: TABLE_ARN(EAST, 'carts') }]);
      expect((await s.east.send(new DescribeTableCommand({ TableName: 'carts' }))).Table).toMatchObject({
        TableStatus: 'ACTIVE',
        Replicas: [{ RegionName: WEST, ReplicaStatus: 'ACTIVE' }],
      });
      const activeAt = s.sim.world.events.find((e) => e.kind === 'dynamodb.replica.status' && e.detail['status'] === 'ACTIVE')!.at;
      expect(activeAt - START).toBeGreaterThanOrEqual(5 * MINUTE);
      expect(activeAt - START).toBeLessThanOrEqual(20 * MINUTE);

      await s.west.send(new PutItemCommand({ TableName: 'carts', Item: { id: S('from-west') } }));
      await s.clock.advance(3 * SECOND);
      expect((await s.east.send(new GetItemCommand({ TableName: 'carts', Key: { id: S('from-west') } }))).Item).toEqual({ id: S('from-west') });

      const again = await failure(
        s.east.send(new UpdateTableCommand({ TableName: 'carts', ReplicaUpdates: [{ Create: { RegionName: WEST } }] })),
        DynamoDBServiceException,
      );
      expect(again.name).toBe('ValidationException');
    });

    it('removes a replica region with UpdateTable', async () => {
      const s = await setup();
      seedGlobal(s);
      const out = await s.east.send(new UpdateTableCommand({ TableName: 'order-history', ReplicaUpdates: [{ Delete: { RegionName: WEST } }] }));
      expect(out.TableDescription?.Replicas).toBeUndefined();
      await failure(s.west.send(new DescribeTableCommand({ TableName: 'order-history' })), ResourceNotFoundException);
      await put(s.east, 'after', 1);
      expect(s.dynamodb.model.replicationBacklog()).toEqual([]);
    });

    it('refuses a replica where an unrelated table of that name exists', async () => {
      const s = await setup();
      s.dynamodb.model.seedTable({ name: 'carts', region: EAST, key: { hash: { name: 'id', type: 'S' } } });
      s.dynamodb.model.seedTable({ name: 'carts', region: WEST, key: { hash: { name: 'id', type: 'S' } } });
      const error = await failure(
        s.east.send(new UpdateTableCommand({ TableName: 'carts', ReplicaUpdates: [{ Create: { RegionName: WEST } }] })),
        DynamoDBServiceException,
      );
      expect(error.message).toBe(
        "Failed to create a the new replica of table with name: 'carts' because one or more replicas already existed as tables.",
      );
    });
  });

  describe('DynamoDB replication under faults', () => {
    async function pauseTemplate(s: Setup, duration = 'PT5M'): Promise<string> {
      const out = await s.fis.send(
        new CreateExperimentTemplateCommand({
          description: 'pause order-history replication',
          roleArn: 'arn:aws:iam::123456789012:role/fis',
          stopConditions: [{ source: 'none' }],
          targets: { Tables: { resourceType: DYNAMODB_GLOBAL_TABLE, resourceTags: { app: 'securecart' }, selectionMode: 'ALL' } },
          actions: {
            pause: { actionId: 'aws:dynamodb:global-table-pause-replication', parameters: { duration }, targets: { Tables: 'Tables' } },
          },
        }),
      );
      return out.experimentTemplate!.id!;
    }

    // Reads the module's FIS targets directly: no request crosses a transport, so once is enough.
    it.runIf(transport === 'in-process')('offers global tables, and only those, as FIS targets', async () => {
      const s = await setup();
      seedGlobal(s);
      s.dynamodb.model.seedTable({ name: 'local-only', region: EAST, key: { hash: { name: 'id', type: 'S' } } });
      expect(s.dynamodb.targetable(DYNAMODB_GLOBAL_TABLE, EAST)).toEqual([
        { arn: TABLE_ARN(EAST), type: DYNAMODB_GLOBAL_TABLE, region: EAST, tags: { app: 'securecart' }, TableName: 'order-history' },
      ]);
      expect(s.dynamodb.targetable('aws:rds:db', EAST)).toEqual([]);
    });

    it('holds writes while FIS pauses replication, then replays the backlog when the action ends', async () => {
      const s = await setup();
      seedGlobal(s);
      const templateId = await pauseTemplate(s);
      const experimentId = (await s.fis.send(new StartExperimentCommand({ experimentTemplateId: templateId }))).experiment!.id!;
      await s.clock.advance(8 * SECOND);
      expect((await s.fis.send(new GetExperimentCommand({ id: experimentId }))).experiment?.state?.status).toBe('running');
      const pausedAt = s.sim.world.events.find((e) => e.kind === 'dynamodb.replication.paused')!;
      expect(pausedAt.detail).toMatchObject({ table: 'order-history', region: EAST });

      await put(s.east, 'during-pause', 1);
      await put(s.west, 'west-during-pause', 2);
      await s.clock.advance(MINUTE);
      expect(await read(s.west, 'during-pause')).toBeUndefined();
      expect(await read(s.east, 'west-during-pause')).toBeUndefined();
      expect(s.dynamodb.model.replicationBacklog('order-history').map((r) => [r.from, r.to, r.key])).toEqual([
        [EAST, WEST, JSON.stringify(['Sduring-pause'])],
        [WEST, EAST, JSON.stringify(['Swest-during-pause'])],
      ]);

      await s.clock.runUntil(pausedAt.at + 5 * MINUTE);
      expect(await read(s.west, 'during-pause')).toBe(1);
      expect(await read(s.east, 'west-during-pause')).toBe(2);
      expect(s.dynamodb.model.replicationBacklog()).toEqual([]);
      const resumed = s.sim.world.events.find((e) => e.kind === 'dynamodb.replication.resumed')!;
      expect(resumed.at).toBe(pausedAt.at + 5 * MINUTE);
      expect(resumed.detail['backlog']).toBe(2);
      await s.clock.advance(MINUTE);
      expect((await s.fis.send(new GetExperimentCommand({ id: experimentId }))).experiment?.state?.status).toBe('completed');
    });

    it('replays the backlog when the experiment is stopped early', async () => {
      const s = await setup();
      seedGlobal(s);
      const templateId = await pauseTemplate(s, 'PT1H');
      const experimentId = (await s.fis.send(new StartExperimentCommand({ experimentTemplateId: templateId }))).experiment!.id!;
      await s.clock.advance(8 * SECOND);
      await put(s.east, 'held', 7);
      await s.clock.advance(10 * MINUTE);
      expect(await read(s.west, 'held')).toBeUndefined();
      await s.fis.send(new StopExperimentCommand({ id: experimentId }));
      await s.clock.advance(0);
      expect(await read(s.west, 'held')).toBe(7);
    });

    it('makes a downed region unreachable; writes accepted there before it fell are lost to the other region until it returns', async () => {
      const s = await setup();
      seedGlobal(s);
      await put(s.east, 'last-words', 1);
      await s.clock.advance(100);
      s.sim.world.faults.setRegionUp(EAST, false, 'test outage');
      const refused = await failure(put(s.east, 'x', 1), DynamoDBServiceException);
      expect(refused.$metadata.httpStatusCode).toBe(503);

      // Active-active failover: the app writes to the other region meanwhile.
      await put(s.west, 'failover', 2);
      await s.clock.advance(10 * MINUTE);
      expect(await read(s.west, 'last-words')).toBeUndefined();
      expect(s.dynamodb.model.replicationBacklog('order-history').map((r) => [r.from, r.to])).toEqual([
        [EAST, WEST],
        [WEST, EAST],
      ]);
      expect(s.dynamodb.model.itemsAsOf(EAST, 'order-history', s.clock.now()).map((i) => i['id']!)).not.toContainEqual(S('failover'));

      s.sim.world.faults.setRegionUp(EAST, true, 'test outage');
      await s.clock.advance(0);
      expect(await read(s.west, 'last-words')).toBe(1);
      expect(await read(s.east, 'failover')).toBe(2);
      expect(s.dynamodb.model.replicationBacklog()).toEqual([]);
    });

    it('holds replication while the link between the regions is cut', async () => {
      const s = await setup();
      seedGlobal(s);
      s.sim.world.faults.setLinkUp(EAST, WEST, false, 'test cut');
      await put(s.east, 'across', 3);
      await s.clock.advance(5 * MINUTE);
      expect(await read(s.west, 'across')).toBeUndefined();
      const held = s.sim.world.events.find((e) => e.kind === 'dynamodb.replication.held')!;
      expect(held.detail).toMatchObject({ from: EAST, to: WEST, reason: 'link-down' });
      s.sim.world.faults.setLinkUp(EAST, WEST, true, 'test cut');
      await s.clock.advance(0);
      expect(await read(s.west, 'across')).toBe(3);
    });
  });
});
