import { describe, expect, it } from 'vitest';
import { AwsError, type CallContext, type SimRequest } from '../types.js';
import { createRestXmlBinding, parseXmlBody, RestXmlCodec, RestXmlError, type RestXmlErrors, type RestXmlSpec } from './rest-xml.js';

/**
 * The codec knows no service: these tests drive it with an S3-shaped spec
 * (bare `<Error>` envelope, flattened lists, query-distinguished routes,
 * greedy keys) and a Route 53-shaped one (`<ErrorResponse>`).
 */

const errors: RestXmlErrors = {
  malformed: (detail) => new AwsError('MalformedXML', `The XML you provided was not well-formed: ${detail}`, 400),
  invalidValue: (path, expected, value) => new AwsError('InvalidArgument', `${path}: '${value}' is not a valid ${expected}`, 400),
  missing: (path) => new AwsError('InvalidArgument', `${path} is required`, 400),
  unknownOperation: (method, path) => new AwsError('MethodNotAllowed', `${method} ${path} is not allowed`, 405),
};

const s3ish: RestXmlSpec = {
  xmlNamespace: 'http://s3.amazonaws.com/doc/2006-03-01/',
  errorEnvelope: 'Error',
  requestIdHeader: 'x-amz-request-id',
  memberNames: { 'Filter.Tags': 'Tag', CommonPrefixes: 'Prefix', Regions: 'Region' },
  flattened: ['Rule', 'Version', 'DeleteMarker', 'ReplicationConfiguration.Role2'],
  errors,
  routes: [
    { operation: 'ListObjects', method: 'GET', path: '/{Bucket}', responseRoot: 'ListBucketResult' },
    { operation: 'GetBucketVersioning', method: 'GET', path: '/{Bucket}?versioning', responseRoot: 'VersioningConfiguration' },
    { operation: 'ListObjectVersions', method: 'GET', path: '/{Bucket}?versions', responseRoot: 'ListVersionsResult' },
    { operation: 'ListObjectsV2', method: 'GET', path: '/{Bucket}?list-type=2', responseRoot: 'ListBucketResult' },
    { operation: 'PutBucketReplication', method: 'PUT', path: '/{Bucket}?replication', responseRoot: null, requestRoot: 'ReplicationConfiguration' },
    { operation: 'GetObject', method: 'GET', path: '/{Bucket}/{Key+}' },
    { operation: 'HeadObject', method: 'HEAD', path: '/{Bucket}/{Key+}', responseRoot: null },
    { operation: 'CreateThing', method: 'POST', path: '/things', successStatus: 201 },
    { operation: 'PutObject', method: 'PUT', path: '/{Bucket}/{Key+}', rawPayload: true, responseRoot: null },
  ],
};

function request(method: string, path: string, query: Record<string, string | string[]> = {}, body = '', contentType = 'application/xml'): SimRequest {
  return { method, path, query, headers: { 'content-type': contentType }, body: new TextEncoder().encode(body) };
}

const text = (body: Uint8Array | string): string => (typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));

describe('restXml routing', () => {
  const codec = new RestXmlCodec(s3ish);

  it('tells routes on one path apart by the query keys they need, the most specific first', () => {
    expect(codec.operationOf(request('GET', '/invoices'))).toBe('ListObjects');
    expect(codec.operationOf(request('GET', '/invoices', { versioning: '' }))).toBe('GetBucketVersioning');
    expect(codec.operationOf(request('GET', '/invoices', { versions: '', prefix: 'a' }))).toBe('ListObjectVersions');
    expect(codec.operationOf(request('GET', '/invoices', { 'list-type': '2' }))).toBe('ListObjectsV2');
    // A required value must match; another value falls through to the plain route.
    expect(codec.operationOf(request('GET', '/invoices', { 'list-type': '1' }))).toBe('ListObjects');
    expect(codec.operationOf(request('GET', '/invoices/'))).toBe('ListObjects');
  });

  it('takes the rest of the path, slashes and encoded characters included, into a greedy label', () => {
    expect(codec.operationOf(request('GET', '/invoices/2026/01/inv%201.pdf'))).toBe('GetObject');
    const input = codec.decode('GetObject', request('GET', '/invoices/2026/01/inv%201.pdf'));
    expect(input.labels).toEqual({ Bucket: 'invoices', Key: '2026/01/inv 1.pdf' });
    expect(codec.operationOf(request('HEAD', '/invoices/a'))).toBe('HeadObject');
  });

  it("answers a request no route takes with the service's own error", () => {
    expect(() => codec.operationOf(request('DELETE', '/things'))).toThrow(/DELETE \/things is not allowed/);
    expect(() => codec.operationOf(request('GET', '/invoices/%E0%A4%A'))).toThrow(AwsError);
  });

  it('refuses a table with an operation routed twice or a greedy label in the middle', () => {
    expect(() => new RestXmlCodec({ ...s3ish, routes: [s3ish.routes[0]!, s3ish.routes[0]!] })).toThrow(/routed twice/);
    expect(() => new RestXmlCodec({ ...s3ish, routes: [{ operation: 'X', method: 'GET', path: '/{A+}/b' }] })).toThrow(/greedy label must be last/);
  });
});

describe('restXml request bodies', () => {
  it('parses lists by member name, flattened lists, structures and text, keeping string whitespace', () => {
    const parsed = parseXmlBody(
      `<?xml version="1.0" encoding="UTF-8"?>
      <ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Role>arn:aws:iam::1:role/r</Role>
        <Rule>
          <ID> first </ID>
          <Filter><Tags><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>&lt;2&gt;</Value></Tag></Tags></Filter>
          <Empty/>
        </Rule>
        <Note><![CDATA[x < y]]> &#13;end</Note>
      </ReplicationConfiguration>`,
      s3ish,
    );
    expect(parsed.root).toBe('ReplicationConfiguration');
    expect(parsed.content).toEqual({
      Role: 'arn:aws:iam::1:role/r',
      // Flattened: a list even with one member.
      Rule: [
        {
          ID: ' first ',
          Filter: {
            Tags: [
              { Key: 'a', Value: '1' },
              { Key: 'b', Value: '<2>' },
            ],
          },
          Empty: '',
        },
      ],
      Note: 'x < y \rend',
    });
  });

  it('makes an element named twice in a structure a list, and an empty list element an empty list', () => {
    const parsed = parseXmlBody('<R><Item>a</Item><Item>b</Item><Item>c</Item><Regions/><Regions2></Regions2></R>', s3ish);
    expect(parsed.content).toEqual({ Item: ['a', 'b', 'c'], Regions: [], Regions2: '' });
  });

  it.each([
    ['a tag left open', '<A><B></A>', /Expected closing tag 'B'/],
    ['plain text', 'hello', /char 'h' is not expected/],
    ['no root', '<?xml version="1.0"?>', /no root element|not well-formed/],
    ['two roots', '<A/><B/>', /exactly one root element/],
    ['text beside the root', '<A/>trailing', /./],
    ['a DOCTYPE', '<!DOCTYPE A><A/>', /DOCTYPE is not allowed/],
  ])('answers %s with the malformed error', (_what, body, message) => {
    expect(() => parseXmlBody(body, s3ish)).toThrow(message);
    try {
      parseXmlBody(body, s3ish);
    } catch (error) {
      expect((error as AwsError).code).toBe('MalformedXML');
    }
  });

  it('reads typed members through XmlReader and reports bad ones in the service words', () => {
    const codec = new RestXmlCodec(s3ish);
    const input = codec.decode(
      'PutBucketReplication',
      request(
        'PUT',
        '/invoices',
        { replication: '' },
        '<ReplicationConfiguration><Count> 7 </Count><On>true</On><Off>0</Off><Bad>x</Bad><Rule><ID>r1</ID></Rule><Rule><ID>r2</ID></Rule><Regions><Region>a</Region></Regions></ReplicationConfiguration>',
      ),
    );
    const b = input.body;
    expect(input.bodyRoot).toBe('ReplicationConfiguration');
    expect(b.integer('Count')).toBe(7);
    expect(b.boolean('On')).toBe(true);
    expect(b.boolean('Off')).toBe(false);
    expect(b.integer('Missing')).toBeUndefined();
    expect(() => b.integer('Bad')).toThrow("Bad: 'x' is not a valid integer");
    expect(() => b.boolean('Bad')).toThrow("Bad: 'x' is not a valid boolean");
    expect(b.objectList('Rule')!.map((r) => r.required('ID', (x, n) => x.string(n)))).toEqual(['r1', 'r2']);
    expect(b.stringList('Regions')).toEqual(['a']);
    expect(() => b.required('Role', (x, n) => x.string(n))).toThrow('Role is required');
    expect(() => b.object('Count')).toThrow(/not a valid structure/);
    expect(() => b.objectList('Rule')![0]!.string('Nope')).not.toThrow();
  });

  it('insists on the root element a route names, and leaves non-XML payloads to the operation', () => {
    const codec = new RestXmlCodec(s3ish);
    expect(() => codec.decode('PutBucketReplication', request('PUT', '/b', { replication: '' }, '<Other/>'))).toThrow(/root element must be ReplicationConfiguration/);
    const object = codec.decode('GetObject', request('GET', '/b/k', {}, '<not-xml', 'application/octet-stream'));
    expect(object.bodyRoot).toBeUndefined();
    expect(Buffer.from(object.rawBody).toString()).toBe('<not-xml');
    const upload = codec.decode('PutObject', request('PUT', '/b/invoice.xml', {}, '<half', 'text/xml'));
    expect(upload.bodyRoot).toBeUndefined();
    expect(Buffer.from(upload.rawBody).toString()).toBe('<half');
    expect(codec.decode('ListObjects', request('GET', '/b', { 'max-keys': '5' })).queryInteger('max-keys')).toBe(5);
    expect(() => codec.decode('ListObjects', request('GET', '/b', { 'max-keys': 'five' })).queryInteger('max-keys')).toThrow(/'five' is not a valid integer/);
  });
});

describe('restXml responses', () => {
  const codec = new RestXmlCodec(s3ish);

  it('renders the root with the namespace, member-named and flattened lists, and escapes text', () => {
    const response = codec.encode(
      'ListObjectVersions',
      {
        body: {
          Name: 'invoices',
          Prefix: 'a&b',
          IsTruncated: false,
          MaxKeys: 1000,
          Version: [
            { Key: 'k1', VersionId: 'v2', IsLatest: true, LastModified: new Date(Date.UTC(2026, 0, 5)) },
            { Key: 'k1', VersionId: 'v1', IsLatest: false, LastModified: new Date(Date.UTC(2026, 0, 4)) },
          ],
          DeleteMarker: [{ Key: 'k2', VersionId: 'v3' }],
          CommonPrefixes: [],
          NextKeyMarker: undefined,
        },
      },
      'req-1',
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'text/xml', 'x-amz-request-id': 'req-1' });
    expect(text(response.body)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Name>invoices</Name><Prefix>a&amp;b</Prefix><IsTruncated>false</IsTruncated><MaxKeys>1000</MaxKeys>' +
        '<Version><Key>k1</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest><LastModified>2026-01-05T00:00:00.000Z</LastModified></Version>' +
        '<Version><Key>k1</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest><LastModified>2026-01-04T00:00:00.000Z</LastModified></Version>' +
        '<DeleteMarker><Key>k2</Key><VersionId>v3</VersionId></DeleteMarker><CommonPrefixes></CommonPrefixes>' +
        '</ListVersionsResult>',
    );
  });

  it('writes header-only and raw responses, with the route status and extra headers', () => {
    const head = codec.encode('HeadObject', { headers: { etag: '"abc"', 'x-amz-version-id': 'v1' } }, 'r');
    expect(head).toEqual({ statusCode: 200, headers: { 'x-amz-request-id': 'r', etag: '"abc"', 'x-amz-version-id': 'v1' }, body: '' });
    const object = codec.encode('GetObject', { raw: { body: new Uint8Array([1, 2]), contentType: 'application/pdf' } }, 'r');
    expect(object.headers['content-type']).toBe('application/pdf');
    expect(object.body).toEqual(new Uint8Array([1, 2]));
    expect(codec.encode('CreateThing', { body: {} }, 'r').statusCode).toBe(201);
    expect(text(codec.encode('CreateThing', {}, 'r').body)).toContain('<CreateThingResponse xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></CreateThingResponse>');
  });

  it('refuses to render a list the member table does not name', () => {
    expect(() => codec.encode('CreateThing', { body: { Unknown: ['x'] } }, 'r')).toThrow(/no member element name for the list CreateThingResponse\.Unknown|no member element name for the list Unknown/);
  });

  it('renders errors in a bare <Error> with extra fields (S3), no body for HEAD', () => {
    const error = codec.renderError(new RestXmlError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: 'invoices' }), 'req-9', 'GET');
    expect(error.statusCode).toBe(404);
    expect(text(error.body)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>invoices</BucketName><RequestId>req-9</RequestId></Error>',
    );
    expect(codec.renderError(new AwsError('NoSuchKey', 'x', 404), 'r', 'HEAD').body).toBe('');
  });

  it("renders errors in Route 53's <ErrorResponse> envelope with the fault type", () => {
    const route53ish = new RestXmlCodec({ ...s3ish, errorEnvelope: 'ErrorResponse', xmlNamespace: 'https://route53.amazonaws.com/doc/2013-04-01/', requestIdHeader: undefined });
    const response = route53ish.renderError(new AwsError('InternalFailure', 'boom <x>', 500), 'req-2');
    expect(response.headers['x-amzn-requestid']).toBe('req-2');
    expect(text(response.body)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>boom &lt;x&gt;</Message></Error><RequestId>req-2</RequestId></ErrorResponse>',
    );
  });
});

describe('restXml binding', () => {
  const ctx = (requestId: string) => ({ requestId }) as CallContext;

  it('runs handlers, carries audit resources, and renders errors for the request that raised them', async () => {
    const binding = createRestXmlBinding({
      ...s3ish,
      signingName: 's3',
      eventSource: 's3.amazonaws.com',
      handlers: {
        ListObjects: () => ({ body: { Name: 'b' }, resources: [{ type: 'AWS::S3::Bucket', name: 'b' }] }),
        GetBucketVersioning: () => ({ body: { Status: 'Enabled' } }),
        ListObjectVersions: () => ({ body: {} }),
        ListObjectsV2: () => ({ body: {} }),
        PutBucketReplication: () => ({}),
        GetObject: () => ({ raw: { body: 'data', contentType: 'text/plain' } }),
        HeadObject: (input) => {
          throw new RestXmlError('NoSuchKey', 'gone', 404, { Key: input.label('Key') });
        },
        CreateThing: () => ({}),
        PutObject: () => ({ headers: { etag: '"e"' } }),
      },
    });
    const versioning = await binding.invoke('GetBucketVersioning', request('GET', '/b', { versioning: '' }), ctx('r1'));
    expect(text(versioning.response.body)).toContain('<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>');
    const listed = await binding.invoke('ListObjects', request('GET', '/b'), ctx('r2'));
    expect(listed.resources).toEqual([{ type: 'AWS::S3::Bucket', name: 'b' }]);
    const failed = await binding.invoke('HeadObject', request('HEAD', '/b/k'), ctx('r3')).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(RestXmlError);
    expect(binding.renderError(failed as AwsError, ctx('r3')).body).toBe('');
    // Routing errors are rendered for the request being routed.
    binding.operationOf(request('GET', '/b'));
    expect(text(binding.renderError(new AwsError('AccessDenied', 'no', 403), ctx('r4')).body)).toContain('<Code>AccessDenied</Code>');
    expect(() => createRestXmlBinding({ ...s3ish, signingName: 's3', eventSource: 's3', handlers: {} })).toThrow(/no handler for ListObjects/);
  });
});
