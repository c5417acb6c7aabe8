import { describe, expect, it } from 'vitest';
import { AwsError, type SimRequest } from '../types.js';
import { member, RestJsonCodec, toJson } from './rest-json.js';

const codec = new RestJsonCodec([
  { operation: 'ListThings', method: 'GET', path: '/things' },
  { operation: 'CreateThing', method: 'POST', path: '/things', successStatus: 201 },
  { operation: 'GetThing', method: 'GET', path: '/things/{id}' },
  { operation: 'DeleteThing', method: 'DELETE', path: '/things/{id}' },
  { operation: 'GetPart', method: 'GET', path: '/things/{id}/parts/{part}' },
  { operation: 'ListTags', method: 'GET', path: '/tags/{resourceArn}' },
  { operation: 'GetObject', method: 'GET', path: '/objects/{bucket}/{key+}' },
]);

function request(method: string, path: string, body = '', query: SimRequest['query'] = {}): SimRequest {
  return { method, path, query, headers: {}, body: Buffer.from(body) };
}

function thrown(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AwsError) return error;
    throw error;
  }
  throw new Error('expected an AwsError');
}

describe('restJson1 routing', () => {
  it('routes by method and path template', () => {
    expect(codec.operationOf(request('GET', '/things'))).toBe('ListThings');
    expect(codec.operationOf(request('POST', '/things'))).toBe('CreateThing');
    expect(codec.operationOf(request('GET', '/things/EXT123'))).toBe('GetThing');
    expect(codec.operationOf(request('DELETE', '/things/EXT123'))).toBe('DeleteThing');
    expect(codec.operationOf(request('GET', '/things/EXT123/parts/p1'))).toBe('GetPart');
    expect(codec.operationOf(request('get', '/things/EXT123/'))).toBe('GetThing');
  });

  it('decodes a percent-encoded ARN in a one-segment label, slashes included', () => {
    const arn = 'arn:aws:fis:us-east-1:123456789012:experiment-template/EXTabc';
    const path = `/tags/${encodeURIComponent(arn)}`;
    expect(path).toContain('%2F');
    const input = codec.decode(codec.operationOf(request('GET', path)), request('GET', path));
    expect(input.operation).toBe('ListTags');
    expect(input.label('resourceArn')).toBe(arn);
  });

  it('gives a greedy label the rest of the path', () => {
    const input = codec.decode('GetObject', request('GET', '/objects/invoices/2026/01/a%20b.pdf'));
    expect(input.labels).toEqual({ bucket: 'invoices', key: '2026/01/a b.pdf' });
  });

  it('answers an unknown route or method with UnknownOperationException (404)', () => {
    for (const [method, path] of [
      ['GET', '/nothing'],
      ['PUT', '/things'],
      ['GET', '/things/a/b'],
      ['GET', '/things/%E0%A4%A'],
    ] as const) {
      const error = thrown(() => codec.operationOf(request(method, path)));
      expect(error.code).toBe('UnknownOperationException');
      expect(error.statusCode).toBe(404);
    }
  });

  it('rejects a route table that names an operation twice', () => {
    expect(
      () =>
        new RestJsonCodec([
          { operation: 'A', method: 'GET', path: '/a' },
          { operation: 'A', method: 'GET', path: '/b' },
        ]),
    ).toThrow(/routed twice/);
  });
});

describe('restJson1 input', () => {
  it('reads query parameters: integers, strings and repeated keys', () => {
    const input = codec.decode('ListThings', request('GET', '/things', '', { maxResults: '5', nextToken: 'abc', tagKeys: ['a', 'b'] }));
    expect(input.queryInteger('maxResults')).toBe(5);
    expect(input.queryString('nextToken')).toBe('abc');
    expect(input.queryList('tagKeys')).toEqual(['a', 'b']);
    expect(input.queryList('missing')).toEqual([]);
    expect(input.queryInteger('missing')).toBeUndefined();
  });

  it('refuses a query integer that does not parse with SerializationException', () => {
    const input = codec.decode('ListThings', request('GET', '/things', '', { maxResults: 'ten' }));
    const error = thrown(() => input.queryInteger('maxResults'));
    expect(error.code).toBe('SerializationException');
    expect(error.statusCode).toBe(400);
  });

  it('parses the JSON body, and takes an empty body as {}', () => {
    expect(codec.decode('CreateThing', request('POST', '/things', '{"name":"a","n":2}')).body).toEqual({ name: 'a', n: 2 });
    expect(codec.decode('CreateThing', request('POST', '/things', '')).body).toEqual({});
    expect(codec.decode('CreateThing', request('POST', '/things', '  \n')).body).toEqual({});
  });

  it('answers malformed JSON, or JSON that is not an object, with SerializationException (400)', () => {
    for (const body of ['{"name":', '[1,2]', '"text"', 'null']) {
      const error = thrown(() => codec.decode('CreateThing', request('POST', '/things', body)));
      expect(error.code).toBe('SerializationException');
      expect(error.statusCode).toBe(400);
    }
  });

  it('reads members by type, refusing the wrong JSON type with SerializationException', () => {
    const body = { s: 'x', n: 3, b: true, list: ['a'], map: { k: 'v' }, objs: { one: { a: 'b' } }, bad: 7 };
    expect(member.string(body, 's')).toBe('x');
    expect(member.integer(body, 'n')).toBe(3);
    expect(member.boolean(body, 'b')).toBe(true);
    expect(member.stringList(body, 'list')).toEqual(['a']);
    expect(member.stringMap(body, 'map')).toEqual({ k: 'v' });
    expect(member.objectMap(body, 'objs', (v) => v['a'])).toEqual({ one: 'b' });
    expect(member.string(body, 'absent')).toBeUndefined();
    const error = thrown(() => member.string(body, 'bad'));
    expect(error.code).toBe('SerializationException');
    expect(error.message).toContain('bad');
    expect(thrown(() => member.stringMap({ m: { k: 1 } }, 'm')).message).toContain('m.k');
  });

  it('reports a missing required member as ValidationException in AWS words', () => {
    const input = codec.decode('CreateThing', request('POST', '/things', '{}'));
    const error = thrown(() => input.required('name', member.string));
    expect(error.code).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('restJson1 output', () => {
  it('renders timestamps as epoch seconds and leaves undefined members out', () => {
    const response = codec.encode(
      'GetThing',
      { thing: { id: 'a', createdAt: new Date(Date.UTC(2026, 0, 5, 0, 0, 1, 500)), gone: undefined, list: [1, undefined] } },
      'req-1',
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-amzn-requestid']).toBe('req-1');
    expect(JSON.parse(String(response.body))).toEqual({ thing: { id: 'a', createdAt: 1767571201.5, list: [1, null] } });
  });

  it('uses the route’s success status', () => {
    expect(codec.encode('CreateThing', {}, 'r').statusCode).toBe(201);
  });

  it('renders non-finite numbers by name, as restJson1 does', () => {
    expect(toJson({ a: NaN, b: Infinity, c: -Infinity })).toEqual({ a: 'NaN', b: 'Infinity', c: '-Infinity' });
  });

  it('renders an error with x-amzn-ErrorType, a message body and its status', () => {
    const response = codec.renderError(new AwsError('ResourceNotFoundException', 'Experiment EXP1 not found.', 404), 'req-2');
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-amzn-ErrorType']).toBe('ResourceNotFoundException');
    expect(response.headers['x-amzn-requestid']).toBe('req-2');
    expect(JSON.parse(String(response.body))).toEqual({ message: 'Experiment EXP1 not found.' });
  });
});
