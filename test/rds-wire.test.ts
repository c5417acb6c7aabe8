import * as sdk from '@aws-sdk/client-rds';
import { DescribeDBInstancesCommand, RDSClient, RDSServiceException } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, simClientConfig } from '../src/sim/index.js';
import { createRdsBinding } from '../src/sim/services/rds/binding.js';
import { rdsErrors } from '../src/sim/services/rds/errors.js';
import { createRdsModule, RdsModel } from '../src/sim/services/rds/index.js';
import type { AwsError, SimRequest } from '../src/sim/types.js';

/**
 * The SDK's own schema is the authority for what parses: these tests walk
 * `@aws-sdk/client-rds`'s static schemas (plain arrays: `[3, ns, name,
 * traits, memberNames, memberSchemas]` for a structure, `[1, ns, name,
 * traits, member]` for a list, `[9, ns, name, traits, input, output]` for an
 * operation, `[-3, …]` for an error) against the sim's binding.
 */

type Traits = Record<string, unknown>;

function deref(schema: unknown): unknown {
  return typeof schema === 'function' ? (schema as () => unknown)() : schema;
}

/** A member reference: the target schema and the member's own traits. */
function member(ref: unknown): { target: unknown; traits: Traits } {
  const value = deref(ref);
  if (Array.isArray(value) && value.length === 2 && (typeof value[0] === 'function' || typeof value[0] === 'number')) {
    return { target: deref(value[0]), traits: typeof value[1] === 'object' && value[1] !== null ? (value[1] as Traits) : {} };
  }
  return { target: value, traits: {} };
}

const kindOf = (schema: unknown): number | undefined => {
  if (typeof schema === 'number') return (schema & 64) === 64 ? 1 : (schema & 128) === 128 ? 2 : 0;
  return Array.isArray(schema) && typeof schema[1] === 'string' ? (schema[0] as number) : undefined;
};

interface ListSite {
  parent: string;
  field: string;
  member: string;
  flattened: boolean;
}

/** Every list reachable from a structure, with the element it sits in and its member element name. */
function listSites(struct: unknown, element: string, out: ListSite[], seen: Set<string>): ListSite[] {
  if (kindOf(struct) !== 3 && kindOf(struct) !== -3) return out;
  const [, , name, , names, schemas] = struct as [number, string, string, Traits, string[], unknown[]];
  const key = `${element}/${name}`;
  if (seen.has(key)) return out;
  seen.add(key);
  names.forEach((field, i) => {
    const { target, traits } = member(schemas[i]);
    const elementName = typeof traits['xmlName'] === 'string' ? traits['xmlName'] : field;
    if (kindOf(target) === 1) {
      let memberName = 'member';
      let flattened = false;
      let memberTarget: unknown = 0;
      if (Array.isArray(target)) {
        const listTraits = (target[3] ?? {}) as Traits;
        flattened = typeof listTraits === 'object' && listTraits !== null && Boolean(listTraits['xmlFlattened']);
        const m = member(target[4]);
        memberTarget = m.target;
        if (typeof m.traits['xmlName'] === 'string') memberName = m.traits['xmlName'];
      }
      out.push({ parent: element, field: elementName, member: memberName, flattened });
      listSites(memberTarget, memberName, out, seen);
    } else {
      listSites(target, elementName, out, seen);
    }
  });
  return out;
}

function binding() {
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 5) });
  const sim = createSimulator({ clock, seed: 7, services: [] });
  return createRdsBinding(new RdsModel(sim.world));
}

const sdkExports = sdk as unknown as Record<string, unknown>;

describe('RDS wire format against the SDK schema', () => {
  const rds = binding();

  it('binds every operation the brief names, each one the SDK knows', () => {
    expect(rds.operationNames.sort()).toEqual(
      [
        'AddTagsToResource',
        'CopyDBSnapshot',
        'CreateDBCluster',
        'CreateDBInstance',
        'CreateDBInstanceReadReplica',
        'CreateDBSnapshot',
        'DeleteDBInstance',
        'DeleteDBSnapshot',
        'DescribeDBClusters',
        'DescribeDBInstanceAutomatedBackups',
        'DescribeDBInstances',
        'DescribeDBSnapshots',
        'FailoverDBCluster',
        'ListTagsForResource',
        'ModifyDBInstance',
        'PromoteReadReplica',
        'RebootDBInstance',
        'RemoveTagsFromResource',
        'RestoreDBInstanceFromDBSnapshot',
        'RestoreDBInstanceToPointInTime',
      ].sort(),
    );
    for (const operation of rds.operationNames) expect(kindOf(sdkExports[`${operation}$`]), operation).toBe(9);
  });

  it('wraps every output list member in the element the SDK deserializer reads', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const operation of rds.operationNames) {
      const schema = sdkExports[`${operation}$`] as unknown[];
      const output = deref(schema[5]);
      for (const site of listSites(output, `${operation}Result`, [], new Set())) {
        checked++;
        expect(site.flattened, `${site.parent}.${site.field} is flattened`).toBe(false);
        const ours = rds.memberNameOf(site.field, site.parent);
        if (ours !== site.member) mismatches.push(`${operation}: ${site.parent}.${site.field} → SDK ${site.member}, sim ${ours}`);
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(mismatches).toEqual([]);
  });

  it('answers with error codes the SDK maps to its typed exceptions, with their HTTP status', () => {
    const errorSchemas = Object.entries(sdkExports)
      .filter(([name, value]) => name.endsWith('$') && kindOf(value) === -3)
      .map(([name, value]) => ({ name: name.slice(0, -1), traits: (value as unknown[])[3] as Traits }));
    // Common errors of every Query service: the SDK has no class for them, and RDS sends them by code.
    const common = new Set(['InvalidParameterValue', 'InvalidParameterCombination']);
    const factories: [string, (arg: string) => AwsError][] = Object.entries(rdsErrors);
    expect(factories.length).toBeGreaterThan(10);
    for (const [factory, make] of factories) {
      const error = make('x');
      if (common.has(error.code)) continue;
      const schema = errorSchemas.find((s) => {
        const query = s.traits['awsQueryError'] as [string, number] | undefined;
        return query?.[0] === error.code;
      });
      expect(schema, `${factory}: no SDK error with awsQueryError code ${error.code}`).toBeDefined();
      const [, status] = schema!.traits['awsQueryError'] as [string, number];
      expect(error.statusCode, `${factory}: ${error.code}`).toBe(status);
      expect(typeof sdkExports[schema!.name], `${factory}: SDK exports ${schema!.name}`).toBe('function');
    }
  });
});

describe('RDS protocol errors', () => {
  function setup() {
    const clock = new VirtualClock({ start: Date.UTC(2026, 0, 5) });
    const sim = createSimulator({ clock, seed: 3, services: [createRdsModule] });
    return { clock, sim };
  }

  function raw(body: string): SimRequest {
    return {
      method: 'POST',
      path: '/',
      query: {},
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAGAMEDAYRUNNER000/20260105/us-east-1/rds/aws4_request, SignedHeaders=host, Signature=0',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: Buffer.from(body, 'utf8'),
    };
  }

  const codeOf = (body: string | Uint8Array): string | undefined => /<Code>([^<]*)<\/Code>/.exec(String(body))?.[1];

  it.each([
    ['Action=DescribeDBMagic&Version=2014-10-31', 400, 'InvalidAction'],
    ['Version=2014-10-31', 400, 'MissingAction'],
    ['Action=DescribeDBInstances&Version=2014-10-31&Marker=%E0%A4%A', 404, 'MalformedQueryString'],
    ['Action=DescribeDBInstances&Version=2014-10-31&Filters.Filter.0.Name=engine', 400, 'InvalidQueryParameter'],
    ['Action=RebootDBInstance&Version=2014-10-31', 400, 'MissingParameter'],
    ['Action=DescribeDBInstances&Version=2014-10-31&MaxRecords=twenty', 400, 'InvalidParameterValue'],
    ['Action=RebootDBInstance&Version=2014-10-31&DBInstanceIdentifier=db1&ForceFailover=maybe', 400, 'InvalidParameterValue'],
    ['Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=ghost', 404, 'DBInstanceNotFound'],
  ])('%s → %i %s', async (body, status, code) => {
    const { sim } = setup();
    const response = await sim.dispatcher.dispatch(raw(body));
    expect(response.statusCode).toBe(status);
    expect(codeOf(response.body)).toBe(code);
    expect(String(response.body)).toContain('<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">');
  });

  it('reaches the SDK as a service exception named after the code', async () => {
    const { sim } = setup();
    const client = new RDSClient(simClientConfig(sim, 'us-east-1'));
    const error = await client.send(new DescribeDBInstancesCommand({ MaxRecords: 10 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RDSServiceException);
    expect(error).toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toBe('Invalid value 10 for MaxRecords. Must be between 20 and 100');
  });

  it('records calls in the audit trail with the resource they touched', async () => {
    const { sim } = setup();
    const client = new RDSClient(simClientConfig(sim, 'us-east-1'));
    await client.send(
      new sdk.CreateDBInstanceCommand({ DBInstanceIdentifier: 'audit-db', DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', AllocatedStorage: 20 }),
    );
    await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope' })).catch(() => undefined);
    expect(sim.world.audit.map((a) => [a.eventSource, a.eventName, a.readOnly, a.resources, a.errorCode])).toEqual([
      ['rds.amazonaws.com', 'CreateDBInstance', false, [{ type: 'AWS::RDS::DBInstance', name: 'audit-db' }], undefined],
      ['rds.amazonaws.com', 'DescribeDBInstances', true, [], 'DBInstanceNotFound'],
    ]);
  });
});
