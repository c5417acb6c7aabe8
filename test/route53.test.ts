import {
  ChangeResourceRecordSetsCommand,
  type ChangeResourceRecordSetsCommandInput,
  CreateHealthCheckCommand,
  CreateHostedZoneCommand,
  DeleteHealthCheckCommand,
  DeleteHostedZoneCommand,
  GetChangeCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  HealthCheckAlreadyExists,
  HealthCheckVersionMismatch,
  HostedZoneAlreadyExists,
  HostedZoneNotEmpty,
  InvalidChangeBatch,
  InvalidDomainName,
  InvalidInput,
  ListHealthChecksCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  NoSuchChange,
  NoSuchHealthCheck,
  NoSuchHostedZone,
  paginateListHealthChecks,
  paginateListHostedZones,
  type ResourceRecordSet,
  Route53Client,
  Route53ServiceException,
  TestDNSAnswerCommand,
  UpdateHealthCheckCommand,
} from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createAppModule, type AppModule } from '../src/sim/app/index.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { CONNECT_TIMEOUT_MS, createRoute53Module, type Route53Module } from '../src/sim/services/route53/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND, MINUTE } from './support/time.js';
import { START } from './support/sim.js';

interface Setup {
  clock: VirtualClock;
  sim: Simulator;
  r53: Route53Client;
  route53: Route53Module;
}

async function setupOver(via: TransportHarness, seed = 42, withApp = false): Promise<Setup & { app?: AppModule }> {
  const clock = new VirtualClock({ start: START });
  const services = withApp ? [createRdsModule, createRoute53Module, createAppModule] : [createRoute53Module];
  const sim = createSimulator({ clock, seed, services });
  return {
    clock,
    sim,
    r53: new Route53Client(await via.config(sim, clock, 'us-east-1')),
    route53: sim.world.module<Route53Module>('route53'),
    ...(withApp ? { app: sim.world.module<AppModule>('app') } : {}),
  };
}

/** SecureCart's two regional orders services, each on its own database, behind the app model. */
async function withOrdersServicesOver(via: TransportHarness, seed = 42) {
  const s = await setupOver(via, seed, true);
  const app = s.app!;
  const rds = s.sim.world.module<RdsModule>('rds');
  rds.model.seedInstance({ identifier: 'orders-db', region: 'us-east-1', multiAZ: true });
  rds.model.seedInstance({ identifier: 'orders-db-west', region: 'us-west-2' });
  const east = app.seedOrdersService({ region: 'us-east-1', database: { engine: 'rds', region: 'us-east-1', id: 'orders-db' } });
  const west = app.seedOrdersService({ region: 'us-west-2', database: { engine: 'rds', region: 'us-west-2', id: 'orders-db-west' } });
  return { ...s, app, east, west };
}

async function rejects<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T, message?: RegExp | string): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${type.name}`).toBeInstanceOf(type);
  if (message !== undefined) expect((error as Error).message).toMatch(message);
  return error as T;
}

async function createZone(r53: Route53Client, name = 'securecart.example', callerReference = `ref-${name}`) {
  const out = await r53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: callerReference }));
  return { id: out.HostedZone!.Id!, out };
}

function change(
  zoneId: string,
  changes: { Action: 'CREATE' | 'UPSERT' | 'DELETE'; ResourceRecordSet: ResourceRecordSet }[],
  comment?: string,
): ChangeResourceRecordSetsCommand {
  const input: ChangeResourceRecordSetsCommandInput = { HostedZoneId: zoneId, ChangeBatch: { Changes: changes, ...(comment ? { Comment: comment } : {}) } };
  return new ChangeResourceRecordSetsCommand(input);
}

const a = (name: string, value: string, extra: Partial<ResourceRecordSet> = {}): ResourceRecordSet => ({
  Name: name,
  Type: 'A',
  TTL: 60,
  ResourceRecords: [{ Value: value }],
  ...extra,
});

describe.each(transports)('Route 53 over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (seed?: number) => setupOver(via, seed);
  const withOrdersServices = (seed?: number) => withOrdersServicesOver(via, seed);

  describe('Route 53 hosted zones', () => {
    it('creates a public zone with a delegation set, SOA and NS, and reports the change PENDING then INSYNC', async () => {
      const { r53, clock } = await setup();
      const { out } = await createZone(r53);
      expect(out.$metadata.httpStatusCode).toBe(201);
      expect(out.HostedZone).toMatchObject({ Name: 'securecart.example.', CallerReference: 'ref-securecart.example', ResourceRecordSetCount: 2, Config: { PrivateZone: false } });
      expect(out.HostedZone!.Id).toMatch(/^\/hostedzone\/Z[A-Z0-9]{20}$/);
      expect(out.Location).toBe(`https://route53.amazonaws.com/2013-04-01${out.HostedZone!.Id}`);
      expect(out.DelegationSet!.NameServers).toHaveLength(4);
      expect(out.DelegationSet!.NameServers![0]).toMatch(/^ns-\d+\.awsdns-\d{2}\.com$/);
      expect(out.DelegationSet!.NameServers![3]).toMatch(/^ns-\d+\.awsdns-\d{2}\.co\.uk$/);
      expect(out.ChangeInfo).toMatchObject({ Status: 'PENDING', SubmittedAt: new Date(START) });
      expect(out.ChangeInfo!.Id).toMatch(/^\/change\/C[A-Z0-9]{20}$/);

      const records = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: out.HostedZone!.Id }));
      expect(records.ResourceRecordSets!.map((r) => r.Type)).toEqual(['NS', 'SOA']);
      expect(records.ResourceRecordSets![0]!.ResourceRecords!.map((r) => r.Value)).toEqual(out.DelegationSet!.NameServers!.map((n) => `${n}.`));
      expect(records.ResourceRecordSets![1]!.ResourceRecords![0]!.Value).toMatch(/^ns-\d+\.awsdns-\d{2}\.com\. awsdns-hostmaster\.amazon\.com\. 1 7200 900 1209600 86400$/);

      await clock.advance(29 * SECOND);
      expect((await r53.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id }))).ChangeInfo!.Status).toBe('PENDING');
      await clock.advance(31 * SECOND);
      expect((await r53.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id }))).ChangeInfo!.Status).toBe('INSYNC');
    });

    it('refuses a second zone with the same CallerReference, and takes the same name with another one', async () => {
      const { r53 } = await setup();
      await createZone(r53, 'securecart.example', 'once');
      await rejects(r53.send(new CreateHostedZoneCommand({ Name: 'securecart.example', CallerReference: 'once' })), HostedZoneAlreadyExists);
      const again = await createZone(r53, 'securecart.example', 'twice');
      const byName = await r53.send(new ListHostedZonesByNameCommand({ DNSName: 'securecart.example' }));
      expect(byName.HostedZones!.map((z) => z.Id)).toContain(again.id);
      expect(byName.HostedZones!.filter((z) => z.Name === 'securecart.example.')).toHaveLength(2);
    });

    it('creates a private zone for a VPC, without a delegation set', async () => {
      const { r53 } = await setup();
      const out = await r53.send(
        new CreateHostedZoneCommand({
          Name: 'securecart.internal',
          CallerReference: 'private',
          VPC: { VPCRegion: 'us-east-1', VPCId: 'vpc-0abc' },
          HostedZoneConfig: { Comment: 'internal names', PrivateZone: true },
        }),
      );
      expect(out.HostedZone!.Config).toEqual({ Comment: 'internal names', PrivateZone: true });
      expect(out.DelegationSet).toBeUndefined();
      const got = await r53.send(new GetHostedZoneCommand({ Id: out.HostedZone!.Id }));
      expect(got.VPCs).toEqual([{ VPCRegion: 'us-east-1', VPCId: 'vpc-0abc' }]);
      expect(got.DelegationSet).toBeUndefined();
      await rejects(
        r53.send(new CreateHostedZoneCommand({ Name: 'x.internal', CallerReference: 'p2', HostedZoneConfig: { PrivateZone: true } })),
        InvalidInput,
        /must specify a VPC/,
      );
      await createZone(r53, 'securecart.example');
      const privateOnly = await r53.send(new ListHostedZonesCommand({ HostedZoneType: 'PrivateHostedZone' }));
      expect(privateOnly.HostedZones!.map((z) => z.Name)).toEqual(['securecart.internal.']);
    });

    // Asks the model directly (DNS is not an AWS API call): no request crosses a transport, so once is enough.
    it.runIf(transport === 'in-process')('answers from a private zone only for clients in its VPC region', async () => {
      const { route53 } = await setup();
      route53.model.seedHostedZone({ name: 'securecart.internal', vpcs: [{ region: 'us-east-1', id: 'vpc-1' }], records: [{ name: 'db.securecart.internal', type: 'A', ttl: 60, values: ['10.0.0.5'] }] });
      expect(route53.model.answer('db.securecart.internal', 'A', { clientRegion: 'us-east-1' }).records).toEqual([{ type: 'A', value: '10.0.0.5' }]);
      expect(route53.model.answer('db.securecart.internal', 'A', { clientRegion: 'us-west-2' }).rcode).toBe('REFUSED');
      expect(route53.model.answer('db.securecart.internal', 'A').rcode).toBe('REFUSED');
    });

    it('rejects names that are not domain names', async () => {
      const { r53 } = await setup();
      await rejects(r53.send(new CreateHostedZoneCommand({ Name: 'bad..example', CallerReference: 'x' })), InvalidDomainName, /label is empty/);
      await rejects(r53.send(new CreateHostedZoneCommand({ Name: `${'a'.repeat(64)}.example`, CallerReference: 'y' })), InvalidDomainName);
    });

    it('gets a zone by id with or without the /hostedzone/ prefix, and NoSuchHostedZone for an unknown one', async () => {
      const { r53 } = await setup();
      const { id, out } = await createZone(r53);
      const got = await r53.send(new GetHostedZoneCommand({ Id: id.replace('/hostedzone/', '') }));
      expect(got.HostedZone).toEqual(out.HostedZone);
      expect(got.DelegationSet!.NameServers).toEqual(out.DelegationSet!.NameServers);
      const error = await rejects(r53.send(new GetHostedZoneCommand({ Id: 'Z0000000000000NOPE' })), NoSuchHostedZone, 'No hosted zone found with ID: Z0000000000000NOPE');
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.$fault).toBe('client');
    });

    it('pages ListHostedZones by Marker and MaxItems, and the SDK paginator walks every page', async () => {
      const { r53 } = await setup();
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await createZone(r53, `zone${i}.example`)).id);
      const first = await r53.send(new ListHostedZonesCommand({ MaxItems: 3 }));
      expect(first.HostedZones).toHaveLength(3);
      expect(first.IsTruncated).toBe(true);
      expect(first.MaxItems).toBe(3);
      expect(first.NextMarker).toMatch(/^Z/);
      const second = await r53.send(new ListHostedZonesCommand({ MaxItems: 3, Marker: first.NextMarker }));
      expect(second.Marker).toBe(first.NextMarker);
      expect(second.HostedZones![0]!.Id).toBe(`/hostedzone/${first.NextMarker}`);
      const seen: string[] = [];
      for await (const page of paginateListHostedZones({ client: r53, pageSize: 2 }, {})) seen.push(...page.HostedZones!.map((z) => z.Id!));
      expect(seen.sort()).toEqual([...ids].sort());
      expect(new Set(seen).size).toBe(7);
      await rejects(r53.send(new ListHostedZonesCommand({ MaxItems: 0 })), InvalidInput, /greater than or equal to 1/);
    });

    it('lists zones by name in reversed-label order and pages with NextDNSName / NextHostedZoneId', async () => {
      const { r53 } = await setup();
      for (const name of ['b.example', 'a.example', 'example.org', 'www.a.example']) await createZone(r53, name);
      const all = await r53.send(new ListHostedZonesByNameCommand({}));
      // example.a, example.a.www, example.b, org.example
      expect(all.HostedZones!.map((z) => z.Name)).toEqual(['a.example.', 'www.a.example.', 'b.example.', 'example.org.']);
      const page = await r53.send(new ListHostedZonesByNameCommand({ DNSName: 'www.a.example', MaxItems: 1 }));
      expect(page.HostedZones!.map((z) => z.Name)).toEqual(['www.a.example.']);
      expect(page).toMatchObject({ DNSName: 'www.a.example', IsTruncated: true, NextDNSName: 'b.example.', MaxItems: 1 });
      const next = await r53.send(new ListHostedZonesByNameCommand({ DNSName: page.NextDNSName, HostedZoneId: page.NextHostedZoneId, MaxItems: 5 }));
      expect(next.HostedZones!.map((z) => z.Name)).toEqual(['b.example.', 'example.org.']);
      expect(next.IsTruncated).toBe(false);
      await rejects(r53.send(new ListHostedZonesByNameCommand({ HostedZoneId: 'Z1' })), InvalidInput, /must also specify dnsname/);
    });

    it('refuses to delete a zone with records of its own (HostedZoneNotEmpty), then deletes it once they are gone', async () => {
      const { r53 } = await setup();
      const { id } = await createZone(r53);
      await r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('www.securecart.example', '52.1.1.1') }]));
      await rejects(r53.send(new DeleteHostedZoneCommand({ Id: id })), HostedZoneNotEmpty, /contains non-required resource record sets/);
      await r53.send(change(id, [{ Action: 'DELETE', ResourceRecordSet: a('www.securecart.example', '52.1.1.1') }]));
      const deleted = await r53.send(new DeleteHostedZoneCommand({ Id: id }));
      expect(deleted.ChangeInfo!.Status).toBe('PENDING');
      await rejects(r53.send(new GetHostedZoneCommand({ Id: id })), NoSuchHostedZone);
      await rejects(r53.send(new DeleteHostedZoneCommand({ Id: id })), NoSuchHostedZone);
    });
  });

  describe('Route 53 record changes', () => {
    it('creates, upserts and deletes records; the API sees changes at once, DNS once INSYNC', async () => {
      const { r53, clock, route53 } = await setup();
      const { id } = await createZone(r53);
      const created = await r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('API.SecureCart.example', '52.1.1.1') }], 'first'));
      expect(created.ChangeInfo).toMatchObject({ Status: 'PENDING', Comment: 'first' });
      const listed = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, StartRecordName: 'api.securecart.example', StartRecordType: 'A' }));
      expect(listed.ResourceRecordSets![0]).toEqual({ Name: 'api.securecart.example.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '52.1.1.1' }] });
      expect(route53.model.answer('api.securecart.example', 'A').rcode).toBe('NXDOMAIN');

      const insyncAt = route53.model.getChange(created.ChangeInfo!.Id!.replace('/change/', '')).insyncAt;
      expect(insyncAt - START).toBeGreaterThanOrEqual(30 * SECOND);
      expect(insyncAt - START).toBeLessThanOrEqual(60 * SECOND);
      await clock.runUntil(insyncAt - 1);
      expect(route53.model.answer('api.securecart.example', 'A').rcode).toBe('NXDOMAIN');
      await clock.runUntil(insyncAt);
      expect(route53.model.answer('api.securecart.example.', 'A')).toMatchObject({ rcode: 'NOERROR', records: [{ type: 'A', value: '52.1.1.1' }], ttlSeconds: 60 });

      await r53.send(change(id, [{ Action: 'UPSERT', ResourceRecordSet: a('api.securecart.example', '52.2.2.2', { TTL: 300 }) }]));
      const upserted = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, StartRecordName: 'api.securecart.example', MaxItems: 1 }));
      expect(upserted.ResourceRecordSets![0]).toMatchObject({ TTL: 300, ResourceRecords: [{ Value: '52.2.2.2' }] });

      await r53.send(change(id, [{ Action: 'DELETE', ResourceRecordSet: a('api.securecart.example', '52.2.2.2', { TTL: 300 }) }]));
      const after = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id }));
      expect(after.ResourceRecordSets!.map((r) => r.Name)).toEqual(['securecart.example.', 'securecart.example.']);
      await clock.advance(2 * MINUTE);
      expect(route53.model.answer('api.securecart.example', 'A').rcode).toBe('NXDOMAIN');
    });

    it('rejects a batch as a whole with InvalidChangeBatch and every problem in its message', async () => {
      const { r53 } = await setup();
      const { id } = await createZone(r53);
      await r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.1.1.1') }]));
      const error = await rejects(
        r53.send(
          change(id, [
            { Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.1.1.1') },
            { Action: 'DELETE', ResourceRecordSet: a('gone.securecart.example', '52.1.1.1') },
            { Action: 'CREATE', ResourceRecordSet: a('new.securecart.example', '52.3.3.3') },
          ]),
        ),
        InvalidChangeBatch,
      );
      expect(error.message).toBe(
        "[Tried to create resource record set [name='api.securecart.example.', type='A'] but it already exists, " +
          "Tried to delete resource record set [name='gone.securecart.example.', type='A'] but it was not found]",
      );
      expect(error.$metadata.httpStatusCode).toBe(400);
      // All or nothing: the valid third change was not made either.
      const listed = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id }));
      expect(listed.ResourceRecordSets!.map((r) => r.Name)).not.toContain('new.securecart.example.');
    });

    it.each([
      ['a DELETE whose values differ', [{ Action: 'DELETE' as const, ResourceRecordSet: a('api.securecart.example', '52.9.9.9') }], /but the values provided do not match the current values/],
      ['a name outside the zone', [{ Action: 'CREATE' as const, ResourceRecordSet: a('api.other.example', '52.1.1.1') }], /RRSet with DNS name api\.other\.example\. is not permitted in zone securecart\.example\./],
      ['a CNAME beside other records', [{ Action: 'CREATE' as const, ResourceRecordSet: { Name: 'api.securecart.example', Type: 'CNAME' as const, TTL: 60, ResourceRecords: [{ Value: 'x.example' }] } }], /conflicts with other records with the same DNS name/],
      ['a CNAME at the apex', [{ Action: 'CREATE' as const, ResourceRecordSet: { Name: 'securecart.example', Type: 'CNAME' as const, TTL: 60, ResourceRecords: [{ Value: 'x.example' }] } }], /not permitted at apex/],
      ['an address that is not IPv4', [{ Action: 'CREATE' as const, ResourceRecordSet: a('bad.securecart.example', '300.1.1.1') }], /ARRDATAIllegalIPv4Address/],
      ['an unquoted TXT value', [{ Action: 'CREATE' as const, ResourceRecordSet: { Name: 't.securecart.example', Type: 'TXT' as const, TTL: 60, ResourceRecords: [{ Value: 'hello' }] } }], /enclosed in quotation marks/],
      ['the same record twice in one batch', [{ Action: 'CREATE' as const, ResourceRecordSet: a('two.securecart.example', '52.1.1.1') }, { Action: 'UPSERT' as const, ResourceRecordSet: a('two.securecart.example', '52.1.1.2') }], /invalid set of changes for a resource record set 'A two\.securecart\.example\.'/],
      ['a simple record beside failover ones', [{ Action: 'CREATE' as const, ResourceRecordSet: a('api.securecart.example', '52.1.1.1', { SetIdentifier: 'p', Failover: 'PRIMARY' }) }], /cannot be created because a non-routing-policy RRSet with the same name and type exists/],
    ])('InvalidChangeBatch for %s', async (_what, changes, message) => {
      const { r53 } = await setup();
      const { id } = await createZone(r53);
      await r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.1.1.1') }]));
      await rejects(r53.send(change(id, changes)), InvalidChangeBatch, message);
    });

    it('keeps the zone apex SOA and NS', async () => {
      const { r53 } = await setup();
      const { id } = await createZone(r53);
      const [ns, soa] = (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id }))).ResourceRecordSets!;
      await rejects(r53.send(change(id, [{ Action: 'DELETE', ResourceRecordSet: ns! }])), InvalidChangeBatch, '[A HostedZone must contain at least one NS record for the zone itself.]');
      await rejects(r53.send(change(id, [{ Action: 'DELETE', ResourceRecordSet: soa! }])), InvalidChangeBatch, '[A HostedZone must contain exactly one SOA record.]');
      // Changing them is allowed.
      await r53.send(change(id, [{ Action: 'UPSERT', ResourceRecordSet: { ...ns!, TTL: 3600 } }]));
    });

    it('checks failover records: SetIdentifier required (InvalidInput), one PRIMARY and one SECONDARY, known health checks', async () => {
      const { r53 } = await setup();
      const { id } = await createZone(r53);
      await rejects(
        r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.1.1.1', { Failover: 'PRIMARY' }) }])),
        InvalidInput,
        "Invalid request: Missing field 'SetIdentifier' in Change with [Action=CREATE, Name=api.securecart.example., Type=A, SetIdentifier=null]",
      );
      await rejects(
        r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.1.1.1', { SetIdentifier: 'lonely' }) }])),
        InvalidInput,
        /Expected exactly one of \[Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig\], but found none/,
      );
      await rejects(
        r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.1.1.1', { SetIdentifier: 'p', Failover: 'PRIMARY', Weight: 10 }) }])),
        InvalidInput,
        /but found more than one/,
      );
      await rejects(
        r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: { Name: 'api.securecart.example', Type: 'A', SetIdentifier: 'p', Failover: 'PRIMARY' } }])),
        InvalidInput,
        /Expected exactly one of \[AliasTarget, all of \[TTL, and ResourceRecords\], or TrafficPolicyInstanceId\], but found none/,
      );
      await rejects(
        r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.1.1.1', { SetIdentifier: 'p', Failover: 'PRIMARY', HealthCheckId: 'no-such-check' }) }])),
        NoSuchHealthCheck,
      );
      await rejects(
        r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.1.1.1', { SetIdentifier: 'p', Failover: 'MIDDLE' as 'PRIMARY' }) }])),
        InvalidInput,
        /Member must satisfy enum value set: \[PRIMARY, SECONDARY\]/,
      );
      await r53.send(
        change(id, [
          { Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.1.1.1', { SetIdentifier: 'east', Failover: 'PRIMARY' }) },
          { Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.2.2.2', { SetIdentifier: 'west', Failover: 'SECONDARY' }) },
        ]),
      );
      await rejects(
        r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.3.3.3', { SetIdentifier: 'also-east', Failover: 'PRIMARY' }) }])),
        InvalidChangeBatch,
        /with Failover PRIMARY, but \[name='api\.securecart\.example\.', type='A', set-identifier='east'\] already has that value/,
      );
      await rejects(
        r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.3.3.3', { SetIdentifier: 'w', Weight: 5 }) }])),
        InvalidChangeBatch,
        /cannot be created because a failover RRSet/,
      );
    });

    it('validates alias targets in the account and evaluates their health', async () => {
      const { r53, route53 } = await setup();
      const { id } = await createZone(r53);
      const bareId = id.replace('/hostedzone/', '');
      await rejects(
        r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: { Name: 'www.securecart.example', Type: 'A', AliasTarget: { HostedZoneId: id, DNSName: 'api.securecart.example', EvaluateTargetHealth: true } } }])),
        InvalidChangeBatch,
        `[Tried to create an alias that targets api.securecart.example., type A in zone ${bareId}, but that target was not found]`,
      );
      await r53.send(
        change(id, [
          { Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.1.1.1') },
          { Action: 'CREATE', ResourceRecordSet: { Name: 'www.securecart.example', Type: 'A', AliasTarget: { HostedZoneId: id, DNSName: 'api.securecart.example', EvaluateTargetHealth: true } } },
        ]),
      );
      const listed = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, StartRecordName: 'www.securecart.example' }));
      // The SDK strips /hostedzone/ from AliasTarget.HostedZoneId before sending.
      expect(listed.ResourceRecordSets![0]).toEqual({
        Name: 'www.securecart.example.',
        Type: 'A',
        AliasTarget: { HostedZoneId: bareId, DNSName: 'api.securecart.example.', EvaluateTargetHealth: true },
      });
      await rejects(
        r53.send(change(id, [{ Action: 'CREATE', ResourceRecordSet: { Name: 'x.securecart.example', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '52.1.1.1' }], AliasTarget: { HostedZoneId: id, DNSName: 'api.securecart.example', EvaluateTargetHealth: false } } }])),
        InvalidInput,
        /but found more than one/,
      );
      // An alias answers with its target's records and TTL, once published.
      const zone = route53.model.zone(bareId);
      route53.model.seedRecords(zone.id, [{ name: 'api.securecart.example', type: 'A', ttl: 60, values: ['52.1.1.1'] }]);
      route53.model.seedRecords(zone.id, [{ name: 'www.securecart.example', type: 'A', aliasTarget: { hostedZoneId: zone.id, dnsName: 'api.securecart.example', evaluateTargetHealth: true } }]);
      expect(route53.model.answer('www.securecart.example', 'A')).toMatchObject({ rcode: 'NOERROR', records: [{ type: 'A', value: '52.1.1.1' }], ttlSeconds: 60 });
    });

    it('rejects an empty change batch and an unknown zone', async () => {
      const { r53 } = await setup();
      const { id } = await createZone(r53);
      await rejects(r53.send(change(id, [])), InvalidInput, /changeBatch\.changes.*length greater than or equal to 1/);
      await rejects(r53.send(change('Z00000000NOPE', [{ Action: 'CREATE', ResourceRecordSet: a('x.example', '52.1.1.1') }])), NoSuchHostedZone);
    });

    it('pages ListResourceRecordSets by name, type and set identifier in Route 53 order', async () => {
      const { r53 } = await setup();
      const { id } = await createZone(r53);
      await r53.send(
        change(id, [
          { Action: 'CREATE', ResourceRecordSet: a('www.securecart.example', '52.0.0.1') },
          { Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.0.0.2', { SetIdentifier: 'blue', Weight: 50 }) },
          { Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', '52.0.0.3', { SetIdentifier: 'green', Weight: 50 }) },
          { Action: 'CREATE', ResourceRecordSet: { Name: 'api.securecart.example', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"v=1"' }] } },
          { Action: 'CREATE', ResourceRecordSet: { Name: '*.securecart.example', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '52.0.0.4' }] } },
        ]),
      );
      const order: string[] = [];
      let start: { StartRecordName?: string; StartRecordType?: 'A'; StartRecordIdentifier?: string } = {};
      let pages = 0;
      for (;;) {
        const page = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, MaxItems: 2, ...start }));
        pages++;
        order.push(...page.ResourceRecordSets!.map((r) => `${r.Name} ${r.Type}${r.SetIdentifier ? ` ${r.SetIdentifier}` : ''}`));
        if (!page.IsTruncated) break;
        expect(page.MaxItems).toBe(2);
        start = {
          StartRecordName: page.NextRecordName!,
          StartRecordType: page.NextRecordType as 'A',
          ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}),
        };
      }
      expect(pages).toBe(4);
      // Reversed labels: example.securecart, then example.securecart.*, .api, .www; Route 53 writes * as \052.
      expect(order).toEqual([
        'securecart.example. NS',
        'securecart.example. SOA',
        '\\052.securecart.example. A',
        'api.securecart.example. A blue',
        'api.securecart.example. A green',
        'api.securecart.example. TXT',
        'www.securecart.example. A',
      ]);
      await rejects(r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, StartRecordType: 'A' })), InvalidInput, /requires a record name/);
    });

    it('GetChange knows only changes it made', async () => {
      const { r53 } = await setup();
      await rejects(r53.send(new GetChangeCommand({ Id: '/change/C0000NOPE' })), NoSuchChange);
    });
  });

  describe('Route 53 health checks', () => {
    it('creates HTTP, HTTPS and TCP checks with Route 53 defaults, idempotent by CallerReference', async () => {
      const { r53 } = await setup();
      const https = await r53.send(
        new CreateHealthCheckCommand({
          CallerReference: 'east',
          HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'orders.us-east-1.securecart.internal', ResourcePath: '/health' },
        }),
      );
      expect(https.$metadata.httpStatusCode).toBe(201);
      expect(https.HealthCheck!.Id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(https.Location).toBe(`https://route53.amazonaws.com/2013-04-01/healthcheck/${https.HealthCheck!.Id}`);
      expect(https.HealthCheck).toMatchObject({
        CallerReference: 'east',
        HealthCheckVersion: 1,
        HealthCheckConfig: { Type: 'HTTPS', Port: 443, ResourcePath: '/health', RequestInterval: 30, FailureThreshold: 3, Inverted: false, Disabled: false, EnableSNI: true, MeasureLatency: false },
      });
      const http = await r53.send(new CreateHealthCheckCommand({ CallerReference: 'ip', HealthCheckConfig: { Type: 'HTTP', IPAddress: '52.1.2.3', RequestInterval: 10, FailureThreshold: 2 } }));
      expect(http.HealthCheck!.HealthCheckConfig).toMatchObject({ Type: 'HTTP', IPAddress: '52.1.2.3', Port: 80, RequestInterval: 10, FailureThreshold: 2, EnableSNI: false });
      const tcp = await r53.send(new CreateHealthCheckCommand({ CallerReference: 'tcp', HealthCheckConfig: { Type: 'TCP', IPAddress: '52.1.2.4', Port: 5432 } }));
      expect(tcp.HealthCheck!.HealthCheckConfig).toMatchObject({ Type: 'TCP', Port: 5432 });
      expect(tcp.HealthCheck!.HealthCheckConfig!.EnableSNI).toBeUndefined();

      // Same reference, same settings: the same health check back.
      const again = await r53.send(
        new CreateHealthCheckCommand({
          CallerReference: 'east',
          HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'orders.us-east-1.securecart.internal', ResourcePath: '/health' },
        }),
      );
      expect(again.HealthCheck!.Id).toBe(https.HealthCheck!.Id);
      const conflict = await rejects(
        r53.send(new CreateHealthCheckCommand({ CallerReference: 'east', HealthCheckConfig: { Type: 'HTTP', IPAddress: '52.9.9.9' } })),
        HealthCheckAlreadyExists,
      );
      expect(conflict.$metadata.httpStatusCode).toBe(409);
      await r53.send(new DeleteHealthCheckCommand({ HealthCheckId: tcp.HealthCheck!.Id }));
      await rejects(
        r53.send(new CreateHealthCheckCommand({ CallerReference: 'tcp', HealthCheckConfig: { Type: 'TCP', IPAddress: '52.1.2.4', Port: 5432 } })),
        HealthCheckAlreadyExists,
      );
    });

    it.each([
      ['RequestInterval 20', { Type: 'HTTP' as const, IPAddress: '52.1.2.3', RequestInterval: 20 }, /RequestInterval must be 10 or 30/],
      ['FailureThreshold 11', { Type: 'HTTP' as const, IPAddress: '52.1.2.3', FailureThreshold: 11 }, /failureThreshold.*between 1 and 10/],
      ['no endpoint', { Type: 'HTTPS' as const, ResourcePath: '/health' }, /Either IPAddress or FullyQualifiedDomainName/],
      ['a private address', { Type: 'HTTP' as const, IPAddress: '10.0.0.5' }, /not a valid public/],
      ['TCP without a port', { Type: 'TCP' as const, IPAddress: '52.1.2.3' }, /Port is required for TCP/],
      ['STR_MATCH without a search string', { Type: 'HTTP_STR_MATCH' as const, IPAddress: '52.1.2.3' }, /SearchString is required/],
      ['two checker regions', { Type: 'HTTP' as const, IPAddress: '52.1.2.3', Regions: ['us-east-1' as const, 'eu-west-1' as const] }, /at least 3/],
    ])('InvalidInput for %s', async (_what, config, message) => {
      const { r53 } = await setup();
      await rejects(r53.send(new CreateHealthCheckCommand({ CallerReference: 'x', HealthCheckConfig: config })), InvalidInput, message);
    });

    it('gets, lists (paged) and deletes health checks; NoSuchHealthCheck afterwards', async () => {
      const { r53 } = await setup();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await r53.send(new CreateHealthCheckCommand({ CallerReference: `hc-${i}`, HealthCheckConfig: { Type: 'HTTP', IPAddress: `52.1.1.${i + 1}` } }))).HealthCheck!.Id!);
      }
      const got = await r53.send(new GetHealthCheckCommand({ HealthCheckId: ids[2] }));
      expect(got.HealthCheck!.HealthCheckConfig!.IPAddress).toBe('52.1.1.3');
      const page = await r53.send(new ListHealthChecksCommand({ MaxItems: 2 }));
      expect(page).toMatchObject({ IsTruncated: true, MaxItems: 2 });
      expect(page.HealthChecks).toHaveLength(2);
      const seen: string[] = [];
      for await (const p of paginateListHealthChecks({ client: r53, pageSize: 2 }, {})) seen.push(...p.HealthChecks!.map((h) => h.Id!));
      expect(seen).toEqual([...ids].sort());
      await r53.send(new DeleteHealthCheckCommand({ HealthCheckId: ids[0] }));
      const error = await rejects(r53.send(new GetHealthCheckCommand({ HealthCheckId: ids[0] })), NoSuchHealthCheck, `A health check with id ${ids[0]} does not exist.`);
      expect(error.$metadata.httpStatusCode).toBe(404);
      await rejects(r53.send(new DeleteHealthCheckCommand({ HealthCheckId: ids[0] })), NoSuchHealthCheck);
      expect((await r53.send(new ListHealthChecksCommand({}))).HealthChecks).toHaveLength(4);
    });

    it('updates Disabled, Inverted, FailureThreshold under HealthCheckVersion, and resets elements', async () => {
      const { r53 } = await setup();
      const id = (await r53.send(new CreateHealthCheckCommand({ CallerReference: 'u', HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'a.example', ResourcePath: '/health', Regions: ['us-east-1', 'us-west-2', 'eu-west-1'] } })))
        .HealthCheck!.Id!;
      const updated = await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, HealthCheckVersion: 1, Disabled: true, Inverted: true, FailureThreshold: 5 }));
      expect(updated.HealthCheck).toMatchObject({ HealthCheckVersion: 2, HealthCheckConfig: { Disabled: true, Inverted: true, FailureThreshold: 5 } });
      await rejects(r53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, HealthCheckVersion: 1, Disabled: false })), HealthCheckVersionMismatch);
      const reset = await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, ResetElements: ['ResourcePath', 'Regions'] }));
      expect(reset.HealthCheck!.HealthCheckVersion).toBe(3);
      expect(reset.HealthCheck!.HealthCheckConfig!.ResourcePath).toBeUndefined();
      expect(reset.HealthCheck!.HealthCheckConfig!.Regions).toBeUndefined();
      await rejects(r53.send(new UpdateHealthCheckCommand({ HealthCheckId: 'nope', Disabled: true })), NoSuchHealthCheck);
    });

    it('evaluates endpoint health on the clock: FailureThreshold consecutive results flip it, both ways', async () => {
      const { r53, clock, sim, route53, east } = await withOrdersServices();
      const id = (
        await r53.send(
          new CreateHealthCheckCommand({
            CallerReference: 'east',
            HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: east.endpoint, ResourcePath: '/health', RequestInterval: 10, FailureThreshold: 2, Regions: ['us-west-1', 'us-west-2', 'eu-west-1'] },
          }),
        )
      ).HealthCheck!.Id!;
      await clock.advance(30 * SECOND);
      const healthy = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
      expect(healthy.HealthCheckObservations!.map((o) => o.Region)).toEqual(['us-west-1', 'us-west-2', 'eu-west-1']);
      for (const o of healthy.HealthCheckObservations!) {
        expect(o.StatusReport!.Status).toBe('Success: HTTP Status Code 200, OK');
        expect(o.IPAddress).toMatch(/^15\.177\.\d+\.\d+$/);
        expect(o.StatusReport!.CheckedTime!.getTime()).toBeLessThanOrEqual(clock.now());
      }

      const outage = clock.now();
      sim.world.faults.setRegionUp('us-east-1', false, 'test');
      const checkers = route53.model.healthChecks.checkersOf(id);
      // Each checker's first failing check is its first one after the outage; it fails when the 4 s connect timeout ends.
      const firstFail = (c: { firstCheckAt: number }) => c.firstCheckAt + Math.ceil((outage + 1 - c.firstCheckAt) / 10_000) * 10_000;
      const flips = checkers.map((c) => firstFail(c) + 10_000 + CONNECT_TIMEOUT_MS).sort((x, y) => x - y);
      // Three checkers: healthy while more than 18% (one of three) say so, so the last flip decides.
      const expectedAt = flips[2]!;
      await clock.runUntil(expectedAt - 1);
      expect(route53.model.healthChecks.isHealthy(id)).toBe(true);
      await clock.runUntil(expectedAt);
      expect(route53.model.healthChecks.isHealthy(id)).toBe(false);
      const flip = sim.world.events.find((e) => e.kind === 'route53.health-check.status' && e.detail['id'] === id)!;
      expect(flip.at).toBe(expectedAt);
      expect(flip.detail).toMatchObject({ healthy: false, status: 'Unhealthy' });
      const status = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
      expect(status.HealthCheckObservations![0]!.StatusReport!.Status).toMatch(/^Failure: Connection timed out/);

      // Back up: the same number of consecutive successes, each after the checker's round-trip latency.
      sim.world.faults.setRegionUp('us-east-1', true, 'test');
      await clock.advance(35 * SECOND);
      expect(route53.model.healthChecks.isHealthy(id)).toBe(true);
      const back = sim.world.events.filter((e) => e.kind === 'route53.health-check.status' && e.detail['id'] === id);
      expect(back.map((e) => e.detail['healthy'])).toEqual([false, true]);
      expect(back[1]!.at - expectedAt).toBeGreaterThanOrEqual(10 * SECOND);
    });

    it('checks an address every interval for as long as it matters: resting while nothing changes, resuming at each checker\'s phase', async () => {
      const { r53, clock, sim, route53, east } = await withOrdersServices();
      const id = (
        await r53.send(
          new CreateHealthCheckCommand({
            CallerReference: 'east-by-address',
            HealthCheckConfig: { Type: 'HTTPS', IPAddress: east.ipAddress, FullyQualifiedDomainName: east.endpoint, ResourcePath: '/health', RequestInterval: 10, FailureThreshold: 3 },
          }),
        )
      ).HealthCheck!.Id!;
      // Two hours of nothing happening: no checker holds a timer to say the same thing again.
      await clock.advance(2 * 3600 * SECOND);
      expect(route53.model.healthChecks.checkersOf(id).filter((c) => c.timer !== undefined)).toEqual([]);
      // Yet every checker reports a check within the last interval, as one that kept checking would.
      const status = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
      expect(status.HealthCheckObservations).toHaveLength(8);
      for (const o of status.HealthCheckObservations!) {
        expect(o.StatusReport!.Status).toBe('Success: HTTP Status Code 200, OK');
        expect(clock.now() - o.StatusReport!.CheckedTime!.getTime()).toBeLessThan(10 * SECOND);
      }

      // An outage at an odd instant: each checker's first failing check is still its first one after it.
      await clock.advance(3_217);
      const outage = clock.now();
      sim.world.faults.setRegionUp('us-east-1', false, 'test');
      const reporting = route53.model.healthChecks.checkersOf(id).filter((c) => sim.world.faults.isRegionUp(c.region));
      const flips = reporting
        .map((c) => c.firstCheckAt + Math.ceil((outage + 1 - c.firstCheckAt) / 10_000) * 10_000 + 2 * 10_000 + CONNECT_TIMEOUT_MS)
        .sort((x, y) => x - y);
      // Healthy while more than 18% of the reporting checkers say so.
      const expectedAt = flips[flips.length - 1 - Math.floor(reporting.length * 0.18)]!;
      await clock.runUntil(expectedAt - 1);
      expect(route53.model.healthChecks.isHealthy(id)).toBe(true);
      await clock.runUntil(expectedAt);
      expect(route53.model.healthChecks.isHealthy(id)).toBe(false);
    });

    it('counts a disabled check as healthy and inverts an inverted one', async () => {
      const { r53, clock, sim, route53, east } = await withOrdersServices();
      const id = (
        await r53.send(
          new CreateHealthCheckCommand({ CallerReference: 'east', HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: east.endpoint, ResourcePath: '/health', RequestInterval: 10, FailureThreshold: 1 } }),
        )
      ).HealthCheck!.Id!;
      sim.world.faults.setRegionUp('us-east-1', false, 'test');
      await clock.advance(20 * SECOND);
      expect(route53.model.healthChecks.isHealthy(id)).toBe(false);
      await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Disabled: true }));
      expect(route53.model.healthChecks.isHealthy(id)).toBe(true);
      await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Disabled: false, Inverted: true }));
      // Unhealthy endpoint, inverted: healthy.
      expect(route53.model.healthChecks.isHealthy(id)).toBe(true);
      await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Inverted: false }));
      expect(route53.model.healthChecks.isHealthy(id)).toBe(false);
      const statuses = sim.world.events.filter((e) => e.kind === 'route53.health-check.status').map((e) => e.detail['healthy']);
      expect(statuses).toEqual([false, true, false]);
    });

    it('fails a check on a wrong path (404), a closed port, a missing search string and an unknown name', async () => {
      const { r53, clock, east } = await withOrdersServices();
      const make = async (ref: string, config: Parameters<typeof r53.send>[0] extends never ? never : Record<string, unknown>) =>
        (await r53.send(new CreateHealthCheckCommand({ CallerReference: ref, HealthCheckConfig: { RequestInterval: 10, ...config } as never }))).HealthCheck!.Id!;
      const wrongPath = await make('path', { Type: 'HTTPS', IPAddress: east.ipAddress, ResourcePath: '/nope' });
      const closedPort = await make('port', { Type: 'TCP', IPAddress: east.ipAddress, Port: 5432 });
      const noMatch = await make('match', { Type: 'HTTPS_STR_MATCH', IPAddress: east.ipAddress, ResourcePath: '/health', SearchString: 'degraded' });
      const match = await make('match2', { Type: 'HTTPS_STR_MATCH', IPAddress: east.ipAddress, ResourcePath: '/health', SearchString: '"healthy"' });
      const unknown = await make('dns', { Type: 'HTTP', FullyQualifiedDomainName: 'nowhere.securecart.internal' });
      const tcp = await make('tcp', { Type: 'TCP', IPAddress: east.ipAddress, Port: 443 });
      await clock.advance(15 * SECOND);
      const statusOf = async (id: string) => (await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }))).HealthCheckObservations![0]!.StatusReport!.Status;
      expect(await statusOf(wrongPath)).toBe('Failure: HTTP Status Code 404, Not Found');
      expect(await statusOf(closedPort)).toMatch(/^Failure: Connection refused/);
      expect(await statusOf(noMatch)).toBe('Failure: Specified search string not found in response.');
      expect(await statusOf(match)).toBe('Success: HTTP Status Code 200, OK');
      expect(await statusOf(unknown)).toBe('Failure: DNS resolution failed: Rcode NXDomain(3)');
      expect(await statusOf(tcp)).toBe('Success: TCP connection established.');
    });

    it('follows calculated checks from their children', async () => {
      const { r53, clock, sim, route53, east, west } = await withOrdersServices();
      const child = async (ref: string, ip: string) =>
        (await r53.send(new CreateHealthCheckCommand({ CallerReference: ref, HealthCheckConfig: { Type: 'HTTPS', IPAddress: ip, ResourcePath: '/health', RequestInterval: 10, FailureThreshold: 1 } }))).HealthCheck!.Id!;
      const e = await child('e', east.ipAddress);
      const w = await child('w', west.ipAddress);
      const parent = (await r53.send(new CreateHealthCheckCommand({ CallerReference: 'both', HealthCheckConfig: { Type: 'CALCULATED', ChildHealthChecks: [e, w], HealthThreshold: 2 } }))).HealthCheck!.Id!;
      expect(route53.model.healthChecks.isHealthy(parent)).toBe(true);
      sim.world.faults.setRegionUp('us-east-1', false, 'test');
      await clock.advance(20 * SECOND);
      expect(route53.model.healthChecks.isHealthy(e)).toBe(false);
      expect(route53.model.healthChecks.isHealthy(parent)).toBe(false);
      await rejects(r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: parent })), InvalidInput, /endpoint health checks only/);
    });
  });

  describe('Route 53 DNS answers', () => {
    async function failoverZone(s: Awaited<ReturnType<typeof withOrdersServices>>) {
      const { r53, east, west, clock } = s;
      const hc = async (ref: string, fqdn: string) =>
        (await r53.send(new CreateHealthCheckCommand({ CallerReference: ref, HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: fqdn, ResourcePath: '/health', RequestInterval: 10, FailureThreshold: 1 } }))).HealthCheck!.Id!;
      const eastCheck = await hc('east', east.endpoint);
      const westCheck = await hc('west', west.endpoint);
      const { id } = await createZone(r53);
      await r53.send(
        change(id, [
          { Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', east.ipAddress, { SetIdentifier: 'east', Failover: 'PRIMARY', HealthCheckId: eastCheck }) },
          { Action: 'CREATE', ResourceRecordSet: a('api.securecart.example', west.ipAddress, { SetIdentifier: 'west', Failover: 'SECONDARY', HealthCheckId: westCheck }) },
        ]),
      );
      await clock.advance(61 * SECOND);
      return { zoneId: id, eastCheck, westCheck };
    }

    it('TestDNSAnswer answers the primary while it is healthy, the secondary when not, and the primary when both are down', async () => {
      const s = await withOrdersServices();
      const { r53, clock, sim, east, west } = s;
      const { zoneId } = await failoverZone(s);
      const ask = () => r53.send(new TestDNSAnswerCommand({ HostedZoneId: zoneId, RecordName: 'api.securecart.example', RecordType: 'A' }));
      const first = await ask();
      expect(first).toMatchObject({ RecordName: 'api.securecart.example', RecordType: 'A', RecordData: [east.ipAddress], ResponseCode: 'NOERROR', Protocol: 'UDP' });
      expect(first.Nameserver).toMatch(/^ns-\d+\.awsdns-\d{2}\.com$/);
      sim.world.faults.setRegionUp('us-east-1', false, 'test');
      await clock.advance(20 * SECOND);
      expect((await ask()).RecordData).toEqual([west.ipAddress]);
      sim.world.faults.setRegionUp('us-west-2', false, 'test');
      await clock.advance(20 * SECOND);
      expect((await ask()).RecordData).toEqual([east.ipAddress]);
      const missing = await r53.send(new TestDNSAnswerCommand({ HostedZoneId: zoneId, RecordName: 'nothing.securecart.example', RecordType: 'A' }));
      expect(missing).toMatchObject({ ResponseCode: 'NXDOMAIN', RecordData: [] });
      await rejects(r53.send(new TestDNSAnswerCommand({ HostedZoneId: zoneId, RecordName: '', RecordType: 'A' })), InvalidInput, /recordName/);
      await rejects(r53.send(new TestDNSAnswerCommand({ HostedZoneId: 'Z0NOPE', RecordName: 'a.example', RecordType: 'A' })), NoSuchHostedZone);
    });

    it('keeps answering with Route 53 while a region is down (a global service)', async () => {
      const s = await withOrdersServices();
      const { zoneId } = await failoverZone(s);
      s.sim.world.faults.setRegionUp('us-east-1', false, 'test');
      const zone = await s.r53.send(new GetHostedZoneCommand({ Id: zoneId }));
      expect(zone.HostedZone!.Name).toBe('securecart.example.');
    });

    // Asks the model directly (DNS is not an AWS API call): no request crosses a transport, so once is enough.
    it.runIf(transport === 'in-process')('routes failover aliases by their target health when EvaluateTargetHealth is on', async () => {
      const { route53, clock, sim, east, west } = await withOrdersServices();
      const eastCheck = route53.model.seedHealthCheck({ type: 'HTTPS', ipAddress: east.ipAddress, resourcePath: '/health', requestInterval: 10, failureThreshold: 1 });
      const zone = route53.model.seedHostedZone({
        name: 'securecart.example',
        records: [
          { name: 'east.securecart.example', type: 'A', ttl: 60, values: [east.ipAddress], healthCheckId: eastCheck.id },
          { name: 'west.securecart.example', type: 'A', ttl: 30, values: [west.ipAddress] },
        ],
      });
      route53.model.seedRecords(zone.id, [
        { name: 'api.securecart.example', type: 'A', setIdentifier: 'east', failover: 'PRIMARY', aliasTarget: { hostedZoneId: zone.id, dnsName: 'east.securecart.example', evaluateTargetHealth: true } },
        { name: 'api.securecart.example', type: 'A', setIdentifier: 'west', failover: 'SECONDARY', aliasTarget: { hostedZoneId: zone.id, dnsName: 'west.securecart.example', evaluateTargetHealth: true } },
      ]);
      expect(route53.model.answer('api.securecart.example', 'A')).toMatchObject({ records: [{ type: 'A', value: east.ipAddress }], ttlSeconds: 60, recordSet: { setIdentifier: 'east', failover: 'PRIMARY' } });
      sim.world.faults.setRegionUp('us-east-1', false, 'test');
      await clock.advance(20 * SECOND);
      expect(route53.model.answer('api.securecart.example', 'A')).toMatchObject({ records: [{ type: 'A', value: west.ipAddress }], ttlSeconds: 30, recordSet: { setIdentifier: 'west', failover: 'SECONDARY' } });
    });

    // Asks the model directly (DNS is not an AWS API call): no request crosses a transport, so once is enough.
    it.runIf(transport === 'in-process')('picks weighted records by weight among the healthy ones, with the seeded RNG', async () => {
      const { route53, sim } = await withOrdersServices();
      const rng = sim.world.rng.fork('test:weighted');
      const zone = route53.model.seedHostedZone({
        name: 'securecart.example',
        records: [
          { name: 'w.securecart.example', type: 'A', ttl: 60, setIdentifier: 'heavy', weight: 3, values: ['52.0.0.1'] },
          { name: 'w.securecart.example', type: 'A', ttl: 60, setIdentifier: 'light', weight: 1, values: ['52.0.0.2'] },
          { name: 'w.securecart.example', type: 'A', ttl: 60, setIdentifier: 'off', weight: 0, values: ['52.0.0.3'] },
        ],
      });
      const counts = new Map<string, number>();
      for (let i = 0; i < 4000; i++) {
        const value = route53.model.answer('w.securecart.example', 'A', { rng }).records[0]!.value;
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      expect(counts.get('52.0.0.3')).toBeUndefined();
      expect(counts.get('52.0.0.1')! / 4000).toBeCloseTo(0.75, 1);
      expect(zone.published.size).toBe(5);
    });

    // Asks the model directly (DNS is not an AWS API call): no request crosses a transport, so once is enough.
    it.runIf(transport === 'in-process')('answers CNAMEs for the resolver to follow, wildcards, NODATA and REFUSED outside its zones', async () => {
      const { route53 } = await setup();
      route53.model.seedHostedZone({
        name: 'securecart.example',
        records: [
          { name: 'shop.securecart.example', type: 'CNAME', ttl: 300, values: ['api.securecart.example'] },
          { name: 'api.securecart.example', type: 'A', ttl: 60, values: ['52.0.0.1'] },
          { name: '*.img.securecart.example', type: 'A', ttl: 30, values: ['52.0.0.9'] },
        ],
      });
      expect(route53.model.answer('shop.securecart.example', 'A')).toMatchObject({ records: [{ type: 'CNAME', value: 'api.securecart.example' }], ttlSeconds: 300 });
      expect(route53.model.answer('cat.img.securecart.example', 'A')).toMatchObject({ rcode: 'NOERROR', records: [{ type: 'A', value: '52.0.0.9' }] });
      expect(route53.model.answer('api.securecart.example', 'AAAA')).toMatchObject({ rcode: 'NOERROR', records: [], ttlSeconds: 900 });
      expect(route53.model.answer('orders.us-east-1.securecart.internal', 'A').rcode).toBe('REFUSED');
    });
  });

  describe('Route 53 on the wire', () => {
    it('answers unknown paths and wrong methods with an error the SDK reads', async () => {
      const { sim, clock } = await setup();
      const response = await via.send(sim, clock, {
        method: 'PUT',
        path: '/2013-04-01/hostedzone',
        query: {},
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260105/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=x' },
        body: new Uint8Array(),
      });
      expect(response.statusCode).toBe(404);
      expect(String(response.body)).toContain('<Code>UnknownOperationException</Code>');
    });

    it('is an instance of Route53ServiceException for every typed error', async () => {
      const { r53 } = await setup();
      const error = await rejects(r53.send(new GetHostedZoneCommand({ Id: 'ZNOPE' })), NoSuchHostedZone);
      expect(error).toBeInstanceOf(Route53ServiceException);
      expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
