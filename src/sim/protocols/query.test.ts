import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { createSimulator } from '../index.js';
import { AwsError, type CallContext, type SimRequest } from '../types.js';
import { createQueryBinding, decodeParams, inputError, parseForm, q, queryOperation, renderQueryError } from './query.js';

const NS = 'http://example.amazonaws.com/doc/2020-01-01/';

function request(body: string, headers: Record<string, string> = {}, query: Record<string, string> = {}): SimRequest {
  return {
    method: 'POST',
    path: '/',
    query,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: Buffer.from(body, 'utf8'),
  };
}

function ctx(): CallContext {
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 5) });
  const world = createSimulator({ clock, seed: 1, services: [] }).world;
  return {
    region: 'us-east-1',
    accountId: '123456789012',
    identity: world.identityOf('AKIATEST'),
    requestId: 'req-1',
    world,
  };
}

function caught(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AwsError) return error;
    throw error;
  }
  throw new Error('expected an AwsError');
}

async function rejected(promise: Promise<unknown>): Promise<AwsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AwsError) return error;
    throw error;
  }
  throw new Error('expected an AwsError');
}

describe('parseForm', () => {
  it('decodes percent-encoding and plus signs, keeps empty values', () => {
    expect(parseForm('Action=Describe&Name=a%20b+c&Empty=&Flag')).toEqual([
      ['Action', 'Describe'],
      ['Name', 'a b c'],
      ['Empty', ''],
      ['Flag', ''],
    ]);
  });

  it('refuses broken percent-encoding as MalformedQueryString, with the 404 AWS documents for it', () => {
    const error = caught(() => parseForm('Action=X&Name=%zz'));
    expect(error.code).toBe('MalformedQueryString');
    expect(error.statusCode).toBe(404);
  });
});

describe('decodeParams', () => {
  it('collapses the member-name level of awsQuery lists into arrays', () => {
    const params = decodeParams(
      parseForm(
        'Action=DescribeDBInstances&Version=2014-10-31' +
          '&Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=postgres&Filters.Filter.1.Values.Value.2=mysql' +
          '&Filters.Filter.2.Name=db-instance-id&Filters.Filter.2.Values.Value.1=orders-db' +
          '&Tags.Tag.1.Key=team&Tags.Tag.1.Value=payments&TagKeys.member.1=a&TagKeys.member.2=b',
      ),
    );
    expect(params).toEqual({
      Filters: [
        { Name: 'engine', Values: ['postgres', 'mysql'] },
        { Name: 'db-instance-id', Values: ['orders-db'] },
      ],
      Tags: [{ Key: 'team', Value: 'payments' }],
      TagKeys: ['a', 'b'],
    });
  });

  it('orders list items by index, not by arrival, and compacts gaps', () => {
    expect(decodeParams(parseForm('Ids.member.3=c&Ids.member.1=a'))).toEqual({ Ids: ['a', 'c'] });
  });

  it('reads EC2-style flattened lists when asked', () => {
    const pairs = parseForm('Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&Filter.1.Value.2=vpc-2&InstanceId.1=i-1');
    expect(decodeParams(pairs, { flattenLists: true })).toEqual({
      Filter: [{ Name: 'vpc-id', Value: ['vpc-1', 'vpc-2'] }],
      InstanceId: ['i-1'],
    });
  });

  it('keeps nested structures and leaves the empty-list marker to the schema', () => {
    expect(decodeParams(parseForm('Config.Inner.Name=x&Tags='))).toEqual({ Config: { Inner: { Name: 'x' } }, Tags: '' });
  });

  it('drops the envelope and SigV4 query parameters', () => {
    expect(decodeParams(parseForm('Action=A&Version=1&X-Amz-Signature=abc&X-Amz-Date=20260105T000000Z&Name=n'))).toEqual({ Name: 'n' });
  });

  it('refuses parameter names that contradict each other as InvalidQueryParameter', () => {
    for (const form of ['Name=a&Name.Inner=b', 'Name.Inner=b&Name=a', 'Ids.member.1=a&Ids.member.1=b', 'Ids.member.0=a', 'Name..x=a', '1=a']) {
      expect(caught(() => decodeParams(parseForm(form))), form).toMatchObject({ code: 'InvalidQueryParameter', statusCode: 400 });
    }
  });
});

describe('input schemas', () => {
  const schema = q.struct({
    Name: q.string(),
    Count: q.integer().optional(),
    Flag: q.boolean().optional(),
    At: q.timestamp().optional(),
    Items: q.list(q.struct({ Key: q.string() })).optional(),
  });

  it('coerces strings to integers, booleans, timestamps and lists', () => {
    const parsed = schema.parse({ Name: 'n', Count: '42', Flag: 'TRUE', At: '2026-01-05T00:10:00Z', Items: '' });
    expect(parsed).toEqual({ Name: 'n', Count: 42, Flag: true, At: new Date(Date.UTC(2026, 0, 5, 0, 10)), Items: [] });
    expect(schema.parse({ Name: 'n', At: '2026-01-05T00:10:00.250+01:00' }).At).toEqual(new Date(Date.UTC(2026, 0, 4, 23, 10, 0, 250)));
  });

  it('reports a missing required parameter as MissingParameter', () => {
    const result = schema.safeParse({ Count: '1' }, { reportInput: true });
    expect(result.success).toBe(false);
    const error = inputError(result.error!);
    expect(error).toMatchObject({ code: 'MissingParameter', statusCode: 400 });
    expect(error.message).toBe('The request must contain the parameter Name');
  });

  it('names nested parameters with 1-based indexes', () => {
    const result = schema.safeParse({ Name: 'n', Items: [{ Key: 'a' }, {}] }, { reportInput: true });
    expect(inputError(result.error!).message).toBe('The request must contain the parameter Items.2.Key');
  });

  it.each([
    [{ Name: 'n', Count: 'many' }, "Invalid value 'many' for parameter Count: expected an integer."],
    [{ Name: 'n', Count: '1.5' }, "Invalid value '1.5' for parameter Count: expected an integer."],
    [{ Name: 'n', Flag: 'yes' }, "Invalid value 'yes' for parameter Flag: expected true or false."],
    [{ Name: 'n', At: 'yesterday' }, "Invalid value 'yesterday' for parameter At: expected an ISO-8601 timestamp."],
    [{ Name: ['a', 'b'] }, 'Invalid value a list for parameter Name: expected a string.'],
    [{ Name: 'n', Items: 'x' }, "Invalid value 'x' for parameter Items: expected a list."],
  ])('reports a wrongly typed value as InvalidParameterValue: %j', (input, message) => {
    const result = schema.safeParse(input, { reportInput: true });
    const error = inputError(result.error!);
    expect(error.code).toBe('InvalidParameterValue');
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe(message);
  });
});

describe('QueryBinding', () => {
  const binding = createQueryBinding({
    signingName: 'example',
    eventSource: 'example.amazonaws.com',
    xmlNamespace: NS,
    memberNames: { Things: 'Thing', TagList: 'Tag', 'Thing.Parts': 'ThingPart' },
    operations: {
      DescribeThings: queryOperation({
        input: q.struct({ Name: q.string(), Limit: q.integer().optional() }),
        run: (input) => ({
          Marker: undefined,
          Things: [
            {
              Name: input.Name,
              Note: 'a < b & "c" \'d\'',
              Limit: input.Limit,
              Enabled: false,
              CreatedAt: new Date(Date.UTC(2026, 0, 5, 1, 2, 3)),
              TagList: [{ Key: 'k', Value: 'v' }],
              Parts: ['p1'],
              Plain: ['x', 'y'],
              Nothing: null,
            },
          ],
        }),
        resources: (input) => [{ type: 'Thing', name: input.Name }],
      }),
      TouchThing: queryOperation({ input: q.struct({ Name: q.string() }), run: () => undefined }),
    },
  });

  it('finds the operation in the body, or in the query string of a GET', () => {
    expect(binding.operationOf(request('Action=DescribeThings&Version=2020-01-01&Name=a'))).toBe('DescribeThings');
    expect(binding.operationOf({ ...request(''), method: 'GET', query: { Action: 'TouchThing', Name: 'a' } })).toBe('TouchThing');
  });

  it('answers an unknown action with InvalidAction and a missing one with MissingAction', () => {
    expect(caught(() => binding.operationOf(request('Action=LaunchRockets&Version=1')))).toMatchObject({
      code: 'InvalidAction',
      statusCode: 400,
      message: 'The action LaunchRockets is not valid for this web service.',
    });
    expect(caught(() => binding.operationOf(request('Version=1&Name=a')))).toMatchObject({ code: 'MissingAction', statusCode: 400 });
    expect(caught(() => binding.operationOf(request('Action=%E0%A4%A')))).toMatchObject({ code: 'MalformedQueryString', statusCode: 404 });
    // `toString` is on every object's prototype, not in the table.
    expect(caught(() => binding.operationOf(request('Action=toString'))).code).toBe('InvalidAction');
  });

  it('renders output as <XResponse><XResult>, list members named from the table, values escaped', async () => {
    const { response, resources } = await binding.invoke('DescribeThings', request('Action=DescribeThings&Name=a%26b&Limit=7'), ctx());
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml');
    expect(response.headers['x-amzn-requestid']).toBe('req-1');
    expect(resources).toEqual([{ type: 'Thing', name: 'a&b' }]);
    const body = String(response.body);
    expect(body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<DescribeThingsResponse xmlns="${NS}"><DescribeThingsResult><Things><Thing>` +
        '<Name>a&amp;b</Name><Note>a &lt; b &amp; &quot;c&quot; &apos;d&apos;</Note><Limit>7</Limit><Enabled>false</Enabled>' +
        '<CreatedAt>2026-01-05T01:02:03.000Z</CreatedAt><TagList><Tag><Key>k</Key><Value>v</Value></Tag></TagList>' +
        '<Parts><ThingPart>p1</ThingPart></Parts><Plain><member>x</member><member>y</member></Plain>' +
        '</Thing></Things></DescribeThingsResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeThingsResponse>',
    );
  });

  it('renders an operation without output as metadata only', async () => {
    const { response } = await binding.invoke('TouchThing', request('Action=TouchThing&Name=a'), ctx());
    expect(String(response.body)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<TouchThingResponse xmlns="${NS}"><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></TouchThingResponse>`,
    );
  });

  it('turns input problems into MissingParameter and InvalidParameterValue', async () => {
    expect(await rejected(binding.invoke('DescribeThings', request('Action=DescribeThings'), ctx()))).toMatchObject({
      code: 'MissingParameter',
    });
    expect(await rejected(binding.invoke('DescribeThings', request('Action=DescribeThings&Name=a&Limit=lots'), ctx()))).toMatchObject({
      code: 'InvalidParameterValue',
    });
  });

  it('ignores a body that is not form-encoded, as a Query service reads only form parameters', () => {
    const json = request('{"Action":"DescribeThings"}', { 'content-type': 'application/json' });
    expect(caught(() => binding.operationOf(json)).code).toBe('MissingAction');
  });

  it('renders errors as <ErrorResponse> with the error HTTP status', () => {
    const response = renderQueryError(new AwsError('ThingNotFound', 'Thing <a> not found.', 404), 'req-9', NS);
    expect(response.statusCode).toBe(404);
    expect(String(response.body)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>ThingNotFound</Code>` +
        '<Message>Thing &lt;a&gt; not found.</Message></Error><RequestId>req-9</RequestId></ErrorResponse>',
    );
    const server = renderQueryError(new AwsError('InternalFailure', 'boom', 500), 'req-9', NS);
    expect(String(server.body)).toContain('<Type>Receiver</Type>');
  });

  it('looks member names up qualified by their parent first', () => {
    expect(binding.memberNameOf('Parts', 'Thing')).toBe('ThingPart');
    expect(binding.memberNameOf('Parts', 'Other')).toBe('member');
    expect(binding.memberNameOf('TagList', 'Anything')).toBe('Tag');
  });
});
