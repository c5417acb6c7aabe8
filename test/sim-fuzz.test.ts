import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateExperimentTemplateCommand, FisClient, ListExperimentTemplatesCommand } from '@aws-sdk/client-fis';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimulator, requireSimEnvironment, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment } from '../src/env/index.js';
import type { Simulator } from '../src/sim/index.js';
import { QueryBinding } from '../src/sim/protocols/query.js';
import { createRng } from '../src/sim/rng.js';
import { startSimServer, type SimServer } from '../src/sim/server.js';
import type { RdsModule } from '../src/sim/services/rds/index.js';
import type { Rng, SimRequest } from '../src/sim/types.js';
import { sendOverHttp, SIM_SECRET, type RawResponse } from './support/transport.js';
import { ACCOUNT } from './support/sim.js';

/**
 * A thousand malformed and random requests at `gameday sim serve`'s HTTP
 * server, from a seeded generator (the same run every time): each must get
 * its protocol's well-formed error, 4xx, never a 5xx InternalFailure and
 * never a hang, while valid calls interleaved with the garbage keep getting
 * correct answers.
 */

const REQUESTS = 1000;
const SEQUENTIAL = 200;
const CONCURRENCY = 50;
const PER_REQUEST_TIMEOUT_MS = 10_000;
/** The access key of the valid calls, told apart from the garbage's random ones in the audit trail. */
const VALID_KEY = 'AKIAFUZZVALIDCALLS01';

/** Which error shape an answer must have. */
type Shape = 'query' | 'rest-json' | 'unsigned';

interface Case {
  category: string;
  shape: Shape;
  request: SimRequest;
  /** The error codes this request may get; any code of its protocol when absent. */
  codes?: readonly string[];
  status?: number;
}

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const JSON_TYPE = 'application/json';
const PRINTABLE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const HEX = '0123456789abcdef';

/** A long value: a random stretch repeated (drawing every character would cost more than sending it). */
function long(rng: Rng, length: number): string {
  return rng.alnum(64).repeat(Math.ceil(length / 64)).slice(0, length);
}

function bytes(rng: Rng, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => rng.int(0, 255)));
}

function authorization(rng: Rng, service: string, region = rng.pick(['us-east-1', 'us-west-2', 'eu-west-1'])): string {
  const key = `AKIA${rng.alnum(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
  return `AWS4-HMAC-SHA256 Credential=${key}/20260105/${region}/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${rng.alnum(64, HEX)}`;
}

function headers(rng: Rng, service: string | undefined, contentType: string | undefined): Record<string, string> {
  return {
    ...(service ? { authorization: authorization(rng, service) } : {}),
    ...(contentType ? { 'content-type': contentType } : {}),
    'x-amz-date': '20260105T090000Z',
  };
}

function query(rng: Rng, body: string | Buffer, contentType = FORM): SimRequest {
  return { method: 'POST', path: '/', query: {}, headers: headers(rng, 'rds', contentType), body: typeof body === 'string' ? Buffer.from(body) : body };
}

function rest(rng: Rng, method: string, path: string, body: string | Buffer = '', search: Record<string, string> = {}, contentType = JSON_TYPE): SimRequest {
  return { method, path, query: search, headers: headers(rng, 'fis', contentType), body: typeof body === 'string' ? Buffer.from(body) : body };
}

const form = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const action = (name: string, pairs: [string, string][] = []) => form([['Action', name], ['Version', '2014-10-31'], ...pairs]);
const identifier = (rng: Rng) => `db-${rng.alnum(rng.int(1, 20))}`;

/** RDS operations whose required parameters the generator leaves out. */
const required: Record<string, string[]> = {
  CreateDBInstance: ['DBInstanceIdentifier', 'DBInstanceClass', 'Engine'],
  DeleteDBInstance: ['DBInstanceIdentifier'],
  ModifyDBInstance: ['DBInstanceIdentifier'],
  RebootDBInstance: ['DBInstanceIdentifier'],
  CreateDBInstanceReadReplica: ['DBInstanceIdentifier', 'SourceDBInstanceIdentifier'],
  PromoteReadReplica: ['DBInstanceIdentifier'],
  CreateDBCluster: ['DBClusterIdentifier', 'Engine'],
  FailoverDBCluster: ['DBClusterIdentifier'],
  CreateDBSnapshot: ['DBSnapshotIdentifier', 'DBInstanceIdentifier'],
  DeleteDBSnapshot: ['DBSnapshotIdentifier'],
  CopyDBSnapshot: ['SourceDBSnapshotIdentifier', 'TargetDBSnapshotIdentifier'],
  RestoreDBInstanceFromDBSnapshot: ['DBInstanceIdentifier', 'DBSnapshotIdentifier'],
  RestoreDBInstanceToPointInTime: ['TargetDBInstanceIdentifier'],
  AddTagsToResource: ['ResourceName', 'Tags'],
  ListTagsForResource: ['ResourceName'],
  RemoveTagsFromResource: ['ResourceName', 'TagKeys'],
};

const fisArn = (id: string) => `arn:aws:fis:us-east-1:${ACCOUNT}:experiment/${id}`;

/** Text that is not JSON, whatever else it is. */
function notJson(rng: Rng): string {
  const valid = JSON.stringify({ experimentTemplateId: `EXT${rng.alnum(8)}`, tags: { run: rng.alnum(4) }, description: rng.alnum(12) });
  for (;;) {
    const candidate = rng.pick([
      () => valid.slice(0, rng.int(1, valid.length - 1)),
      () => `{'description': '${rng.alnum(5)}'}`,
      () => `{description: ${rng.alnum(5)}}`,
      () => `${valid}}`,
      () => `[1, 2,`,
      () => `nul`,
      () => `{"a": 01}`,
      () => `{"a": "\\x41"}`,
      () => `{"a": NaN}`,
      () => `<StartExperiment/>`,
    ])();
    try {
      JSON.parse(candidate);
    } catch {
      return candidate;
    }
  }
}

/** One malformed request, of a category drawn from `rng`. */
function garbage(rng: Rng, operations: readonly string[]): Case {
  const categories: (() => Case)[] = [
    () => {
      let name: string;
      do {
        name = rng.pick([
          () => rng.pick(operations).toLowerCase(),
          () => `${rng.pick(operations)}${rng.alnum(2)}`,
          () => rng.alnum(rng.int(1, 30), 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'),
          () => rng.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Describe DBInstances', 'DescribeDBInstances;']),
        ])();
      } while (operations.includes(name));
      return { category: 'unknown Action', shape: 'query', request: query(rng, action(name)), codes: ['InvalidAction'], status: 400 };
    },
    () => {
      const pairs: [string, string][] = [['Version', '2014-10-31'], ['DBInstanceIdentifier', identifier(rng)]];
      if (rng.next() < 0.5) pairs.push(['Action', '']);
      return { category: 'missing Action', shape: 'query', request: query(rng, form(pairs)), codes: ['MissingAction'], status: 400 };
    },
    () => {
      const name = rng.alnum(rng.int(1, 8));
      const broken = rng.pick([
        `Filters..${name}=x`,
        `.${name}=x`,
        `${name}.=x`,
        `${rng.int(1, 9)}.${name}=x`,
        `Filters.Filter.0.Name=${name}`,
        `MaxRecords=20&MaxRecords=${rng.int(20, 100)}`,
        `Filters.Filter.1.Name=${name}&Filters.Filter.1=${name}`,
        `DBInstanceIdentifier=${name}&DBInstanceIdentifier.a=${name}`,
      ]);
      return { category: 'unparsable form body', shape: 'query', request: query(rng, `${action('DescribeDBInstances')}&${broken}`), codes: ['InvalidQueryParameter'], status: 400 };
    },
    () => {
      const bad = rng.pick(['%', '%Z', '%zz', '%E0%A4%A', '%C3%28', '%FF', `${rng.alnum(3)}%`, '%u0041', '%%41']);
      const where = rng.next() < 0.5 ? `DBInstanceIdentifier=${bad}` : `${bad}=x`;
      return { category: 'invalid percent-encoding', shape: 'query', request: query(rng, `${action('DescribeDBInstances')}&${where}`), codes: ['MalformedQueryString'], status: 404 };
    },
    () => {
      const op = rng.pick(Object.keys(required));
      const names = required[op]!;
      const given = names.slice(0, rng.int(0, names.length - 1));
      return {
        category: 'missing required parameter',
        shape: 'query',
        request: query(rng, action(op, given.map((n) => [n, identifier(rng)]))),
        codes: ['MissingParameter'],
        status: 400,
      };
    },
    () => {
      const body = rng.pick([
        () => action('DescribeDBInstances', [['MaxRecords', rng.pick(['abc', '1.5', '', '1e3', '0x10', '99999999999999999999', 'NaN', '-', 'twenty'])]]),
        () => action('RebootDBInstance', [['DBInstanceIdentifier', identifier(rng)], ['ForceFailover', rng.pick(['yes', '1', '0', 'maybe', '', 'tru'])]]),
        () =>
          action('RestoreDBInstanceToPointInTime', [
            ['TargetDBInstanceIdentifier', identifier(rng)],
            ['RestoreTime', rng.pick(['yesterday', '2026-13-45T00:00:00Z', '12345', '2026-01-05', 'T09:00:00Z'])],
          ]),
        () => action('DescribeDBInstances', [['Filters', rng.alnum(5)]]),
        () => action('DescribeDBInstances', [['DBInstanceIdentifier.1', identifier(rng)]]),
        () => action('DescribeDBInstances', [[`DBInstanceIdentifier.${rng.alnum(3, 'abc')}.${rng.alnum(3, 'abc')}`, identifier(rng)]]),
        () => action('AddTagsToResource', [['ResourceName', `arn:aws:rds:us-east-1:${ACCOUNT}:db:x`], ['Tags.Tag.1', 'flat']]),
      ])();
      return { category: 'wrong types', shape: 'query', request: query(rng, body), codes: ['InvalidParameterValue'], status: 400 };
    },
    () => {
      const size = rng.int(5_000, 150_000);
      const body = rng.pick([
        () => action('DescribeDBInstances', [['DBInstanceIdentifier', `a${long(rng, size)}`]]),
        () => action('ListTagsForResource', [['ResourceName', `arn:aws:rds:us-east-1:${ACCOUNT}:db:${long(rng, size)}`]]),
        () => action('DescribeDBInstances', [['MaxRecords', '9'.repeat(size)]]),
        () =>
          action(
            'DescribeDBInstances',
            Array.from({ length: rng.int(500, 3000) }, (_, i): [string, string] => [`Filters.Filter.${i + 1}.Name`, `no-such-filter-${i}`]),
          ),
      ])();
      return { category: 'huge parameter values', shape: 'query', request: query(rng, body) };
    },
    () => ({ category: 'random bytes (Query)', shape: 'query', request: query(rng, bytes(rng, rng.int(1, 2048))) }),
    () => {
      const type = rng.pick(['application/json', 'text/plain', 'application/xml', 'multipart/form-data; boundary=zz', 'application/octet-stream', 'application/x-amz-json-1.0']);
      return { category: 'odd content type (Query)', shape: 'query', request: query(rng, action('DescribeDBInstances'), type), codes: ['MissingAction'], status: 400 };
    },
    () => {
      const request = rng.next() < 0.5 ? query(rng, action('DescribeDBInstances')) : rest(rng, 'GET', '/experimentTemplates');
      delete request.headers['authorization'];
      return { category: 'missing Authorization', shape: 'unsigned', request, codes: ['MissingAuthenticationToken'], status: 403 };
    },
    () => {
      const request = rng.next() < 0.5 ? query(rng, action('DescribeDBInstances')) : rest(rng, 'GET', '/experimentTemplates');
      const key = `AKIA${rng.alnum(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`;
      request.headers['authorization'] = rng.pick([
        () => rng.alnum(rng.int(1, 200), PRINTABLE),
        () => 'AWS4-HMAC-SHA256',
        () => 'AWS4-HMAC-SHA256 Credential=',
        () => `AWS4-HMAC-SHA256 Credential=${key}/20260105/us-east-1/rds`,
        () => `AWS4-HMAC-SHA256 Credential=${key}//us-east-1/rds/aws4_request`,
        () => `AWS4-HMAC-SHA256 Credential=${key}/2026-01-05/us-east-1/fis/aws4_request`,
        () => `Bearer ${rng.alnum(40)}`,
        () => `AWS ${key}:${rng.alnum(28)}`,
      ])();
      return { category: 'garbled Authorization', shape: 'unsigned', request, codes: ['MissingAuthenticationToken'], status: 403 };
    },
    () => {
      const service = rng.pick([() => `x-${rng.alnum(rng.int(1, 12))}`, () => rng.pick(['RDS', 'Fis', 'rds ', 'fis2', 'rdsdata'])])();
      const request = query(rng, action('DescribeDBInstances'));
      request.headers['authorization'] = authorization(rng, service);
      return { category: 'unknown service in the credential scope', shape: 'query', request, codes: ['InvalidClientTokenId'], status: 400 };
    },
    () => {
      const [method, path] = rng.pick<[string, string]>([
        ['GET', '/'],
        ['POST', '/'],
        ['GET', `/zz-${rng.alnum(rng.int(1, 30))}`],
        ['GET', `/experimentTemplates/${rng.alnum(6)}/${rng.alnum(6)}`],
        ['GET', `/experiments/${rng.alnum(6)}/${rng.alnum(3)}/${rng.alnum(3)}`],
        ['GET', `/actions/${rng.alnum(4)}/${rng.alnum(4)}`],
        ['GET', '/experimentTemplate'],
        ['GET', '/Experiments'],
        ['GET', '/targetResourceTypes'],
        ['GET', '/experimentTemplates/%zz'],
        ['POST', `/tags/${rng.alnum(4)}/${rng.alnum(4)}`],
      ]);
      return { category: 'unknown FIS route', shape: 'rest-json', request: rest(rng, method, path), codes: ['UnknownOperationException'], status: 404 };
    },
    () => {
      const [method, path] = rng.pick<[string, string]>([
        ['POST', '/experimentTemplates'],
        ['POST', '/experiments'],
        ['PATCH', `/experimentTemplates/EXT${rng.alnum(10)}`],
        ['POST', `/tags/${encodeURIComponent(fisArn(`EXP${rng.alnum(10)}`))}`],
      ]);
      const body = rng.next() < 0.8 ? notJson(rng) : rng.pick(['[]', '42', '"experiment"', 'null', 'true', '[{"experimentTemplateId": "EXT1"}]']);
      return { category: 'invalid JSON body (FIS)', shape: 'rest-json', request: rest(rng, method, path, body), codes: ['SerializationException'], status: 400 };
    },
    () => {
      const [method, path] = rng.pick<[string, string]>([
        ['PUT', '/experimentTemplates'],
        ['DELETE', '/experimentTemplates'],
        ['PATCH', '/experimentTemplates'],
        ['PUT', '/experiments'],
        ['DELETE', '/experiments'],
        ['PATCH', '/experiments'],
        ['POST', `/experiments/EXP${rng.alnum(8)}`],
        ['PATCH', `/experiments/EXP${rng.alnum(8)}`],
        ['PUT', `/experimentTemplates/EXT${rng.alnum(8)}`],
        ['POST', `/experimentTemplates/EXT${rng.alnum(8)}`],
        ['POST', '/actions'],
        ['DELETE', '/actions/aws%3Afis%3Await'],
        ['PUT', `/tags/${encodeURIComponent(fisArn('EXP1'))}`],
        ['OPTIONS', '/experiments'],
      ]);
      return { category: 'wrong method (FIS)', shape: 'rest-json', request: rest(rng, method, path, '{}'), codes: ['UnknownOperationException'], status: 404 };
    },
    () => {
      const wrong = rng.pick<unknown>([5, true, { id: 'EXT1' }, ['EXT1'], 1.5]);
      return rng.pick<() => Case>([
        () => ({
          category: 'wrong types (FIS)',
          shape: 'rest-json',
          request: rest(rng, 'POST', '/experiments', JSON.stringify({ experimentTemplateId: wrong })),
          codes: ['SerializationException'],
          status: 400,
        }),
        () => ({
          category: 'wrong types (FIS)',
          shape: 'rest-json',
          request: rest(
            rng,
            'POST',
            '/experimentTemplates',
            JSON.stringify({ description: wrong, roleArn: 'arn:aws:iam::123456789012:role/x', stopConditions: [{ source: 'none' }], actions: {} }),
          ),
          codes: ['SerializationException'],
          status: 400,
        }),
        () => ({
          category: 'wrong types (FIS)',
          shape: 'rest-json',
          request: rest(rng, 'POST', `/tags/${encodeURIComponent(fisArn('EXP1'))}`, JSON.stringify({ tags: rng.pick<unknown>(['x', [1], { a: 1 }]) })),
          codes: ['SerializationException'],
          status: 400,
        }),
        () => ({
          category: 'wrong types (FIS)',
          shape: 'rest-json',
          request: rest(rng, 'GET', rng.pick(['/experimentTemplates', '/experiments', '/actions']), '', { maxResults: rng.pick(['abc', '1.5', 'ten', '1e2']) }),
          codes: ['SerializationException'],
          status: 400,
        }),
      ])();
    },
    () => {
      // In the URL, stay under Node's 16 KiB header limit: beyond it the HTTP layer answers 431 before the sim sees the request.
      const size = rng.int(5_000, 12_000);
      const bodySize = rng.int(5_000, 150_000);
      return rng.pick<() => Case>([
        () => ({ category: 'huge values (FIS)', shape: 'rest-json', request: rest(rng, 'GET', `/experimentTemplates/EXT${long(rng, size)}`), codes: ['ResourceNotFoundException'], status: 404 }),
        () => ({ category: 'huge values (FIS)', shape: 'rest-json', request: rest(rng, 'GET', '/experiments', '', { nextToken: long(rng, size) }), codes: ['ValidationException'], status: 400 }),
        () => ({
          category: 'huge values (FIS)',
          shape: 'rest-json',
          request: rest(rng, 'POST', '/experiments', JSON.stringify({ experimentTemplateId: long(rng, bodySize) })),
          codes: ['ResourceNotFoundException'],
          status: 404,
        }),
        () => ({ category: 'huge values (FIS)', shape: 'rest-json', request: rest(rng, 'GET', '/actions', '', { maxResults: '9'.repeat(rng.int(3, 400)) }), codes: ['ValidationException'], status: 400 }),
      ])();
    },
    () => ({
      category: 'random bytes (FIS)',
      shape: 'rest-json',
      request: rest(rng, 'POST', rng.pick(['/experimentTemplates', '/experiments']), bytes(rng, rng.int(1, 2048)), {}, rng.pick([JSON_TYPE, 'application/octet-stream'])),
    }),
    () => {
      const [type, body] = rng.pick<[string, string]>([
        ['text/xml', '<StartExperiment><experimentTemplateId>EXT1</experimentTemplateId></StartExperiment>'],
        ['application/x-www-form-urlencoded', 'experimentTemplateId=EXT1'],
        ['text/plain', 'start experiment EXT1'],
      ]);
      return { category: 'odd content type (FIS)', shape: 'rest-json', request: rest(rng, 'POST', '/experiments', body, {}, type), codes: ['SerializationException'], status: 400 };
    },
  ];
  return rng.pick(categories)();
}

const xml = new XMLParser({ parseTagValue: false, ignoreAttributes: true });

function header(response: RawResponse, name: string): string | undefined {
  const key = Object.keys(response.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : response.headers[key];
}

/** What is wrong with an answer, or undefined when it is the well-formed error the case calls for. */
function problemWith(c: Case, response: RawResponse): string | undefined {
  const status = response.statusCode;
  if (status < 400 || status >= 500) return `status ${status}`;
  if (c.status !== undefined && status !== c.status) return `status ${status}, expected ${c.status}`;
  let code: unknown;
  if (c.shape === 'rest-json') {
    code = header(response, 'x-amzn-errortype');
    if (typeof code !== 'string' || code === '') return 'no x-amzn-ErrorType header';
    if (!header(response, 'content-type')?.startsWith('application/json')) return `content-type ${header(response, 'content-type')}`;
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      return `body is not JSON: ${response.body.slice(0, 100)}`;
    }
    if (typeof (body as { message?: unknown }).message !== 'string') return `no message in ${response.body.slice(0, 100)}`;
  } else {
    if (header(response, 'content-type') !== 'text/xml') return `content-type ${header(response, 'content-type')}`;
    const parsed = xml.parse(response.body) as { ErrorResponse?: { Error?: { Type?: unknown; Code?: unknown; Message?: unknown }; RequestId?: unknown } };
    const error = parsed.ErrorResponse?.Error;
    code = error?.Code;
    if (typeof code !== 'string' || !/^[A-Z][A-Za-z.]+$/.test(code)) return `no error code in ${response.body.slice(0, 200)}`;
    if (typeof error?.Message !== 'string' || error.Message === '') return 'no error message';
    if (error.Type !== 'Sender') return `error type ${String(error.Type)}`;
    const requestId = parsed.ErrorResponse?.RequestId;
    if (typeof requestId !== 'string' || requestId !== header(response, 'x-amzn-requestid')) return `request id ${String(requestId)}`;
    if (c.shape === 'unsigned' && status !== 403) return `status ${status} for an unsigned request`;
  }
  if (code === 'InternalFailure') return 'InternalFailure';
  if (c.codes && !c.codes.includes(code as string)) return `code ${String(code)}, expected ${c.codes.join(' or ')}`;
  return undefined;
}

describe('the sim server under malformed and random requests', () => {
  let clock: VirtualClock;
  let sim: Simulator;
  let server: SimServer;
  const warnings: string[] = [];
  let rds: RDSClient;
  let fis: FisClient;
  let templateId: string;

  beforeAll(async () => {
    const env = requireSimEnvironment(await loadEnvironment('scenarios/environments/securecart.yaml'));
    clock = new VirtualClock({ start: SIM_START });
    sim = buildSimulator({ clock, seed: 42, env });
    server = await startSimServer({
      host: '127.0.0.1',
      port: 0,
      create: () => ({ sim, clock }),
      freeRunning: false,
      onWarning: (message) => warnings.push(message),
    });
    const config = { endpoint: server.url, credentials: { accessKeyId: VALID_KEY, secretAccessKey: SIM_SECRET }, maxAttempts: 1 };
    rds = new RDSClient({ region: 'us-east-1', ...config });
    fis = new FisClient({ region: 'us-east-1', ...config });
    const created = await fis.send(
      new CreateExperimentTemplateCommand({
        description: 'a template the valid calls list',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/fis`,
        stopConditions: [{ source: 'none' }],
        actions: { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } } },
      }),
    );
    templateId = created.experimentTemplate!.id!;
  });

  afterAll(async () => {
    await server.close();
  });

  /** Valid calls between the garbage: the same correct answers every time. */
  async function validCalls(): Promise<string[]> {
    const problems: string[] = [];
    const instances = await rds.send(new DescribeDBInstancesCommand({}));
    const got = instances.DBInstances?.map((d) => `${d.DBInstanceIdentifier}:${d.DBInstanceStatus}`);
    // SecureCart's orders database and its checkout cluster's three instances.
    const steady = ['securecart-checkout-1', 'securecart-checkout-2', 'securecart-checkout-3', 'securecart-orders'].map((id) => `${id}:available`);
    if (JSON.stringify(got) !== JSON.stringify(steady)) problems.push(`DescribeDBInstances answered ${JSON.stringify(got)}`);
    const templates = await fis.send(new ListExperimentTemplatesCommand({}));
    const ids = templates.experimentTemplates?.map((t) => t.id);
    if (JSON.stringify(ids) !== JSON.stringify([templateId])) problems.push(`ListExperimentTemplates answered ${JSON.stringify(ids)}`);
    return problems;
  }

  it('answers each of a thousand with its protocol’s well-formed 4xx error, and valid calls correctly throughout', async () => {
    const rng = createRng('sim-fuzz');
    const binding = sim.world.module<RdsModule>('rds').binding;
    if (!(binding instanceof QueryBinding)) throw new Error('the RDS binding is expected to speak awsQuery');
    const operations = binding.operationNames;
    const cases = Array.from({ length: REQUESTS }, (_, i) => garbage(rng.fork(`case-${i}`), operations));
    const failures: string[] = [];
    const validProblems: string[] = [];
    const perCategory = new Map<string, number>();

    const send = async (c: Case, i: number) => {
      perCategory.set(c.category, (perCategory.get(c.category) ?? 0) + 1);
      let response: RawResponse;
      try {
        response = await sendOverHttp(server.url, c.request, PER_REQUEST_TIMEOUT_MS);
      } catch (error) {
        failures.push(`#${i} ${c.category}: no answer (${error instanceof Error ? error.message : String(error)})`);
        return;
      }
      const problem = problemWith(c, response);
      if (problem) failures.push(`#${i} ${c.category} (${c.request.method} ${c.request.path.slice(0, 60)}): ${problem}`);
    };

    for (let i = 0; i < SEQUENTIAL; i++) {
      await send(cases[i]!, i);
      if (i % 25 === 24) validProblems.push(...(await validCalls()));
    }
    for (let start = SEQUENTIAL; start < REQUESTS; start += CONCURRENCY) {
      const batch = cases.slice(start, start + CONCURRENCY).map((c, j) => send(c, start + j));
      // Valid calls in the middle of each concurrent batch.
      const valid = validCalls().then((problems) => validProblems.push(...problems));
      await Promise.all([...batch, valid]);
    }
    validProblems.push(...(await validCalls()));

    expect(failures).toEqual([]);
    expect(validProblems).toEqual([]);
    expect([...perCategory.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS);
    // Every category was exercised, many times over.
    expect(perCategory.size).toBe(19);
    for (const [category, count] of perCategory) expect(count, category).toBeGreaterThanOrEqual(20);
    expect(sim.world.events.filter((e) => e.kind === 'sim.internal-error')).toEqual([]);
    expect(warnings).toEqual([]);
    // Garbage that was routed reached the audit trail as refused calls; only the valid calls succeeded.
    const succeeded = sim.world.audit.filter((r) => r.errorCode === undefined);
    expect(new Set(succeeded.map((r) => `${r.identity.accessKeyId} ${r.eventName}`))).toEqual(
      new Set([`${VALID_KEY} CreateExperimentTemplate`, `${VALID_KEY} DescribeDBInstances`, `${VALID_KEY} ListExperimentTemplates`]),
    );
    expect(sim.world.audit.filter((r) => r.errorCode !== undefined).length).toBeGreaterThan(REQUESTS / 2);
  });

  // Known bug (src/sim/protocols/query.ts): `finish()` nests decoded
  // parameters recursively, so a parameter name nested tens of thousands of
  // levels deep (`a.a.a.….b=1`, a ~100 KB body) overflows the stack and the
  // dispatcher answers 500 InternalFailure with a `sim.internal-error` event.
  // AWS answers a malformed query with a 4xx. Remove `.fails` once fixed.
  it('answers a parameter name nested 50 000 levels deep with a 4xx, not a stack overflow', async () => {
    const rng = createRng('deep');
    const request = query(rng, `${action('DescribeDBInstances')}&${'a.'.repeat(50_000)}b=1`);
    const before = sim.world.events.length;
    const response = await sendOverHttp(server.url, request, PER_REQUEST_TIMEOUT_MS);
    expect(sim.world.events.slice(before).filter((e) => e.kind === 'sim.internal-error')).toEqual([]);
    expect(response.statusCode).toBeLessThan(500);
  });
});
