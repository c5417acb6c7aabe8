import { compileTemplate, firstQueryValue, matchPath, queryValues, type Segment } from './path-template.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AwsError, type CallContext, type InvokeResult, type ServiceBinding, type SimRequest, type SimResponse } from '../types.js';
import { escapeXml, XML_DECLARATION, xmlText, type XmlValue } from './xml.js';

/**
 * The restXml protocol (Route 53, S3): operations are found by HTTP method,
 * path template and, where two share a path, the query string (`?versioning`);
 * inputs come from path labels, the query string, headers and an XML body;
 * outputs are XML documents under a root element with the service's
 * namespace; errors are XML in the service's envelope. Knows nothing of any
 * one service: a service hands it routes, the element names of its list
 * members and the errors it answers malformed input with.
 */

// ---- specs ------------------------------------------------------------------

/** One row of a service's route table. */
export interface RestXmlRoute {
  operation: string;
  method: string;
  /**
   * Path template: literal segments, `{label}` (one segment, percent-decoded)
   * or `{label+}` (greedy: the rest of the path, slashes included). After a
   * `?`, query keys the request must carry, `&`-separated: `?versioning`
   * (present, any value) or `?list-type=2` (that value). Among routes that
   * match, the one with more query keys, then more literal segments, wins.
   */
  path: string;
  /** HTTP status of a successful response; 200 unless the operation's model says otherwise. */
  successStatus?: number;
  /** Root element of a successful response: `${operation}Response` unless told; `null` for a response without a body. */
  responseRoot?: string | null;
  /** Root element a request body must have when it has one (Route 53: `${operation}Request`); any when left out. */
  requestRoot?: string;
  /** The body is a payload, never a document to parse, whatever its content type (S3 PutObject of an XML file). */
  rawPayload?: boolean;
}

/** The errors a service answers malformed input with, in its own words. */
export interface RestXmlErrors {
  /** The body is not well-formed XML, or its root is not the one the operation takes. */
  malformed(detail: string): AwsError;
  /** A member whose text does not parse as its type (`expected`: `integer`, `boolean`, …). */
  invalidValue(path: string, expected: string, value: string): AwsError;
  /** A required member is absent. */
  missing(path: string): AwsError;
  /** No route matches the request. */
  unknownOperation(method: string, path: string): AwsError;
}

export interface RestXmlSpec {
  /** Namespace on the root of every response body, e.g. `https://route53.amazonaws.com/doc/2013-04-01/`. */
  xmlNamespace: string;
  /**
   * `ErrorResponse`: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`
   * (Route 53, CloudFront). `Error`: a bare `<Error><Code/><Message/><RequestId/>…</Error>` (S3).
   */
  errorEnvelope: 'ErrorResponse' | 'Error';
  /**
   * List field → the element wrapping each member (`Changes` → `Change`),
   * for request bodies and responses alike. A key `Parent.Field` names the
   * list `Field` inside the element `Parent` only.
   */
  memberNames: Readonly<Record<string, string>>;
  /**
   * Elements of flattened lists (S3's `<Version>` repeated directly inside
   * `<ListVersionsResult>`): always a list when parsed, each member its own
   * element when rendered. `Parent.Element` keys work as in `memberNames`.
   */
  flattened?: readonly string[];
  /** Header carrying the request id: `x-amzn-requestid` unless told (S3: `x-amz-request-id`). */
  requestIdHeader?: string;
  errors: RestXmlErrors;
  routes: readonly RestXmlRoute[];
  /**
   * The path to route on, when it is not the request's own: S3's
   * virtual-hosted-style requests name the bucket in the Host header.
   */
  pathOf?(request: SimRequest): string;
}

// ---- parsed XML -------------------------------------------------------------

/** An XML element as parsed: text, a list (by the member table), or child elements by name. */
export type XmlNode = string | XmlNode[] | XmlObject;
export interface XmlObject {
  [name: string]: XmlNode;
}

/** What an operation hands back to be put on the wire. */
export interface RestXmlOutput {
  /** The root element's children; rendered under `responseRoot`. */
  body?: { readonly [key: string]: XmlValue };
  headers?: Record<string, string>;
  /** Overrides the route's success status. */
  status?: number;
  /** A payload that is not XML (S3 GetObject); replaces `body`. */
  raw?: { body: Uint8Array | string; contentType: string };
}

/** An AWS error with extra members inside its `<Error>` element (S3's `<BucketName>`, `<Key>`). */
export class RestXmlError extends AwsError {
  constructor(
    code: string,
    message: string,
    statusCode = 400,
    readonly fields: { readonly [key: string]: XmlValue } = {},
  ) {
    super(code, message, statusCode);
  }
}

// ---- reading inputs ---------------------------------------------------------

/**
 * Typed reads over one element of a parsed body. Each returns `undefined`
 * when the member is absent and throws the service's own error when its text
 * does not parse; paths in messages name where the member sits.
 */
export class XmlReader {
  constructor(
    readonly node: XmlObject,
    readonly path: string,
    private readonly errors: RestXmlErrors,
  ) {}

  private at(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.node, name);
  }

  /** Element text, untrimmed (string members keep their whitespace). */
  string(name: string): string | undefined {
    if (!this.has(name)) return undefined;
    const value = this.node[name]!;
    if (typeof value === 'string') return value;
    // Children, or the element named twice, where text belongs: the schema says no.
    throw this.errors.invalidValue(this.at(name), 'string', summary(value));
  }

  integer(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const text = raw.trim();
    if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw this.errors.invalidValue(this.at(name), 'integer', raw);
    return Number(text);
  }

  /** XML Schema booleans: `true`, `false`, `1`, `0`. */
  boolean(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const text = raw.trim();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw this.errors.invalidValue(this.at(name), 'boolean', raw);
  }

  /** A structure member; an empty element is an empty structure. */
  object(name: string): XmlReader | undefined {
    if (!this.has(name)) return undefined;
    const value = this.node[name]!;
    if (value === '') return new XmlReader({}, this.at(name), this.errors);
    if (typeof value === 'string' || Array.isArray(value)) throw this.errors.invalidValue(this.at(name), 'structure', summary(value));
    return new XmlReader(value, this.at(name), this.errors);
  }

  /** A list of structures (the member table made it a list when parsing). */
  objectList(name: string): XmlReader[] | undefined {
    const items = this.rawList(name);
    return items?.map((item, i) => {
      const path = `${this.at(name)}[${i + 1}]`;
      if (item === '') return new XmlReader({}, path, this.errors);
      if (typeof item === 'string' || Array.isArray(item)) throw this.errors.invalidValue(path, 'structure', summary(item));
      return new XmlReader(item, path, this.errors);
    });
  }

  stringList(name: string): string[] | undefined {
    const items = this.rawList(name);
    return items?.map((item, i) => {
      if (typeof item !== 'string') throw this.errors.invalidValue(`${this.at(name)}[${i + 1}]`, 'string', summary(item));
      return item;
    });
  }

  private rawList(name: string): XmlNode[] | undefined {
    if (!this.has(name)) return undefined;
    const value = this.node[name]!;
    if (value === '') return [];
    if (!Array.isArray(value)) throw this.errors.invalidValue(this.at(name), 'list', summary(value));
    return value;
  }

  /** A member that must be there. */
  required<T>(name: string, read: (reader: XmlReader, name: string) => T | undefined): T {
    const value = read(this, name);
    if (value === undefined) throw this.errors.missing(this.at(name));
    return value;
  }
}

function summary(value: XmlNode): string {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? '(a list)' : '(a structure)';
}

/** A request's inputs, decoded from the wire but not yet checked against any service's shapes. */
export class RestXmlInput {
  constructor(
    readonly operation: string,
    /** Path labels, percent-decoded. */
    readonly labels: Readonly<Record<string, string>>,
    readonly query: Readonly<Record<string, string | string[]>>,
    readonly headers: Readonly<Record<string, string>>,
    /** The body's root element name, when there is a body. */
    readonly bodyRoot: string | undefined,
    /** The root element's content; an empty reader when the request has no body. */
    readonly body: XmlReader,
    /** The raw body, for operations whose payload is not XML (S3 PutObject). */
    readonly rawBody: Uint8Array,
    private readonly errors: RestXmlErrors,
  ) {}

  label(name: string): string {
    const value = this.labels[name];
    // A route without the label is a bug in the service's table, not the caller's fault.
    if (value === undefined) throw new Error(`route for ${this.operation} has no label {${name}}`);
    return value;
  }

  queryString(name: string): string | undefined {
    return firstQueryValue(this.query, name);
  }

  queryList(name: string): string[] {
    return queryValues(this.query, name);
  }

  queryInteger(name: string): number | undefined {
    const raw = this.queryString(name);
    if (raw === undefined || raw === '') return undefined;
    if (!/^[+-]?\d+$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw.trim()))) throw this.errors.invalidValue(name, 'integer', raw);
    return Number(raw.trim());
  }

  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }
}

// ---- routing ----------------------------------------------------------------

interface CompiledRoute extends RestXmlRoute {
  segments: Segment[];
  /** Query keys the request must carry, with the value when one is required. */
  queryKeys: { key: string; value?: string }[];
  specificity: number[];
}

function compileRoute(route: RestXmlRoute): CompiledRoute {
  const q = route.path.indexOf('?');
  const pathPart = q < 0 ? route.path : route.path.slice(0, q);
  const queryPart = q < 0 ? '' : route.path.slice(q + 1);
  const segments = compileTemplate(pathPart);
  const queryKeys = queryPart
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? { key: p } : { key: p.slice(0, eq), value: p.slice(eq + 1) };
    });
  const literals = segments.filter((s) => s.literal !== undefined).length;
  const greedy = segments.some((s) => s.greedy) ? 0 : 1;
  return { ...route, method: route.method.toUpperCase(), segments, queryKeys, specificity: [queryKeys.length, literals, greedy, segments.length] };
}

function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < a.specificity.length; i++) {
    const d = b.specificity[i]! - a.specificity[i]!;
    if (d !== 0) return d;
  }
  return 0;
}


function matchQuery(route: CompiledRoute, query: SimRequest['query']): boolean {
  for (const { key, value } of route.queryKeys) {
    if (!Object.hasOwn(query, key)) return false;
    if (value === undefined) continue;
    const actual = query[key];
    const values = Array.isArray(actual) ? actual : [actual];
    if (!values.includes(value)) return false;
  }
  return true;
}

// ---- XML in -----------------------------------------------------------------

/** fast-xml-parser's order-preserving tree: `{ tag: children }` or `{ '#text': text }`. */
type OrderedNode = { [key: string]: OrderedNode[] | string };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  // Keep every value a string: the operation's readers know the types.
  parseTagValue: false,
  parseAttributeValue: false,
  // String members keep their whitespace; whitespace between elements is dropped below.
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // Numeric character references (`&#13;`, which our own encoder writes for a carriage return).
  htmlEntities: true,
  commentPropName: false,
});

/** The parsed body: its root element's name and content. */
export interface ParsedXml {
  root: string;
  content: XmlNode;
}

/**
 * Parse a request body into plain objects. Lists are known by the member
 * table (an element whose field is a list holds member elements); an element
 * named more than once in a structure, or declared flattened, is a list too.
 */
export function parseXmlBody(text: string, spec: Pick<RestXmlSpec, 'memberNames' | 'flattened' | 'errors'>): ParsedXml {
  if (/<!DOCTYPE/i.test(text)) throw spec.errors.malformed('DOCTYPE is not allowed');
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) throw spec.errors.malformed(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  // The validator lets text after a self-closing root element through (`<A/>tail`), and the parser drops it.
  if (text.slice(text.lastIndexOf('>') + 1).trim() !== '') throw spec.errors.malformed('Extra text at the end');
  let tree: OrderedNode[];
  try {
    tree = parser.parse(text) as OrderedNode[];
  } catch (error) {
    throw spec.errors.malformed(error instanceof Error ? error.message : String(error));
  }
  const roots = tree.filter((node) => elementName(node) !== undefined);
  const strayText = tree.some((node) => typeof node['#text'] === 'string' && node['#text'].trim() !== '');
  if (roots.length !== 1 || strayText) {
    throw spec.errors.malformed(roots.length === 0 ? 'the document has no root element' : 'the document must have exactly one root element');
  }
  const root = roots[0]!;
  const name = elementName(root)!;
  return { root: name, content: convert(name, undefined, root[name] as OrderedNode[], new TableLookup(spec)) };
}

function elementName(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== '#text' && key !== ':@') return key;
  return undefined;
}

class TableLookup {
  private readonly flattened: Set<string>;
  constructor(private readonly spec: Pick<RestXmlSpec, 'memberNames' | 'flattened'>) {
    this.flattened = new Set(spec.flattened ?? []);
  }

  memberOf(field: string, parent: string | undefined): string | undefined {
    return memberNameIn(this.spec.memberNames, field, parent);
  }

  isFlattened(element: string, parent: string | undefined): boolean {
    return this.flattened.has(element) || (parent !== undefined && this.flattened.has(`${parent}.${element}`));
  }
}

function memberNameIn(names: Readonly<Record<string, string>>, field: string, parent: string | undefined): string | undefined {
  const qualified = parent === undefined ? undefined : `${parent}.${field}`;
  if (qualified !== undefined && Object.hasOwn(names, qualified)) return names[qualified];
  if (Object.hasOwn(names, field)) return names[field];
  return undefined;
}

function convert(name: string, parent: string | undefined, children: OrderedNode[], table: TableLookup): XmlNode {
  const elements = children.filter((child) => elementName(child) !== undefined);
  const member = table.memberOf(name, parent);
  if (member !== undefined) {
    // A list: its members, in order. Text between them is formatting.
    return elements.filter((child) => elementName(child) === member).map((child) => convert(member, name, child[member] as OrderedNode[], table));
  }
  if (elements.length === 0) {
    return children.map((child) => (typeof child['#text'] === 'string' ? child['#text'] : '')).join('');
  }
  const out: XmlObject = {};
  // Elements gathered into a list here (flattened), as opposed to list fields the member table made.
  const gathered = new Set<string>();
  for (const child of elements) {
    const childName = elementName(child)!;
    const value = convert(childName, name, child[childName] as OrderedNode[], table);
    const existing = out[childName];
    if (gathered.has(childName)) {
      (existing as XmlNode[]).push(value);
    } else if (table.isFlattened(childName, name) || existing !== undefined) {
      // Declared flattened, or named twice in a structure: a flattened list the table does not know.
      out[childName] = existing === undefined ? [value] : [existing, value];
      gathered.add(childName);
    } else {
      out[childName] = value;
    }
  }
  return out;
}

// ---- XML out ----------------------------------------------------------------

function isScalar(value: XmlValue): value is string | number | boolean | Date {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date;
}

class XmlWriter {
  private readonly table: TableLookup;

  constructor(spec: Pick<RestXmlSpec, 'memberNames' | 'flattened'>) {
    this.table = new TableLookup(spec);
  }

  element(name: string, value: XmlValue, parent: string | undefined): string {
    if (value === undefined || value === null) return '';
    if (Array.isArray(value) && this.table.isFlattened(name, parent)) {
      return (value as readonly XmlValue[]).map((item) => this.element(name, item, parent)).join('');
    }
    return `<${name}>${this.content(name, value, parent)}</${name}>`;
  }

  content(name: string, value: XmlValue, parent: string | undefined): string {
    if (value === undefined || value === null) return '';
    if (isScalar(value)) return escapeXml(xmlText(value));
    if (Array.isArray(value)) {
      const member = this.table.memberOf(name, parent);
      // restXml names every list's members; a list the table misses is a bug in the service's table.
      if (member === undefined) throw new Error(`no member element name for the list ${parent ? `${parent}.` : ''}${name}`);
      return (value as readonly XmlValue[]).map((item) => this.element(member, item, name)).join('');
    }
    let out = '';
    for (const [key, item] of Object.entries(value as { readonly [key: string]: XmlValue })) out += this.element(key, item, name);
    return out;
  }
}

// ---- the codec --------------------------------------------------------------

/** A restXml codec over one service's route table. */
export class RestXmlCodec {
  private readonly routes: CompiledRoute[];
  private readonly byOperation = new Map<string, CompiledRoute>();
  private readonly writer: XmlWriter;
  readonly requestIdHeader: string;

  constructor(readonly spec: RestXmlSpec) {
    this.routes = spec.routes.map(compileRoute).sort(bySpecificity);
    for (const route of this.routes) {
      if (this.byOperation.has(route.operation)) throw new Error(`operation ${route.operation} routed twice`);
      this.byOperation.set(route.operation, route);
    }
    this.writer = new XmlWriter(spec);
    this.requestIdHeader = spec.requestIdHeader ?? 'x-amzn-requestid';
  }

  private pathOf(request: SimRequest): string {
    return this.spec.pathOf ? this.spec.pathOf(request) : request.path;
  }

  /** The operation a request asks for; the service's unknown-operation error when no route matches. */
  operationOf(request: SimRequest): string {
    const method = request.method.toUpperCase();
    const path = this.pathOf(request);
    for (const route of this.routes) {
      if (route.method === method && matchQuery(route, request.query) && matchPath(route.segments, path)) return route.operation;
    }
    throw this.spec.errors.unknownOperation(method, path);
  }

  /** Decode a request for `operation`: path labels, query, headers and XML body. */
  decode(operation: string, request: SimRequest): RestXmlInput {
    const route = this.byOperation.get(operation);
    if (!route) throw this.spec.errors.unknownOperation(request.method, request.path);
    const path = this.pathOf(request);
    const labels = matchPath(route.segments, path);
    if (!labels) throw this.spec.errors.unknownOperation(request.method, path);
    const { root, reader } = this.readBody(route, request);
    return new RestXmlInput(operation, labels, request.query, request.headers, root, reader, request.body, this.spec.errors);
  }

  private readBody(route: CompiledRoute, request: SimRequest): { root: string | undefined; reader: XmlReader } {
    const empty = { root: undefined, reader: new XmlReader({}, '', this.spec.errors) };
    if (request.body.byteLength === 0 || route.rawPayload) return empty;
    const type = (request.headers['content-type'] ?? '').toLowerCase();
    // A payload that is not XML (S3 objects) is left to the operation as rawBody.
    if (type !== '' && !type.includes('xml')) return empty;
    const text = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8');
    if (text.trim() === '') return empty;
    const parsed = parseXmlBody(text, this.spec);
    if (route.requestRoot !== undefined && parsed.root !== route.requestRoot) {
      throw this.spec.errors.malformed(`the root element must be ${route.requestRoot}, not ${parsed.root}`);
    }
    const content = parsed.content;
    if (typeof content === 'string' || Array.isArray(content)) {
      if (typeof content === 'string' && content.trim() === '') return { root: parsed.root, reader: new XmlReader({}, '', this.spec.errors) };
      throw this.spec.errors.malformed(`the root element ${parsed.root} must hold elements`);
    }
    return { root: parsed.root, reader: new XmlReader(content, '', this.spec.errors) };
  }

  /** Render an operation's output. */
  encode(operation: string, output: RestXmlOutput, requestId: string): SimResponse {
    const route = this.byOperation.get(operation);
    const status = output.status ?? route?.successStatus ?? 200;
    const headers: Record<string, string> = { [this.requestIdHeader]: requestId, ...output.headers };
    if (output.raw) {
      return { statusCode: status, headers: { 'content-type': output.raw.contentType, ...headers }, body: output.raw.body, payload: true };
    }
    const root = route?.responseRoot === undefined ? `${operation}Response` : route.responseRoot;
    if (root === null) return { statusCode: status, headers, body: '' };
    const body =
      XML_DECLARATION + `<${root} xmlns="${escapeXml(this.spec.xmlNamespace)}">` + this.writer.content(root, output.body ?? {}, undefined) + `</${root}>`;
    return { statusCode: status, headers: { 'content-type': 'text/xml', ...headers }, body };
  }

  /** An error in the service's envelope, with the error's HTTP status, so the SDK throws its typed exception. */
  renderError(error: AwsError, requestId: string, method = 'GET'): SimResponse {
    const headers = { 'content-type': 'text/xml', [this.requestIdHeader]: requestId };
    // A response to HEAD has no body; the SDK goes by the status code.
    if (method.toUpperCase() === 'HEAD') return { statusCode: error.statusCode, headers, body: '' };
    const code = `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>`;
    let body: string;
    if (this.spec.errorEnvelope === 'ErrorResponse') {
      body =
        `<ErrorResponse xmlns="${escapeXml(this.spec.xmlNamespace)}">` +
        `<Error><Type>${error.fault}</Type>${code}</Error>` +
        `<RequestId>${escapeXml(requestId)}</RequestId>` +
        `</ErrorResponse>`;
    } else {
      const fields = error instanceof RestXmlError ? this.writer.content('Error', error.fields, undefined) : '';
      body = `<Error>${code}${fields}<RequestId>${escapeXml(requestId)}</RequestId></Error>`;
    }
    return { statusCode: error.statusCode, headers, body: XML_DECLARATION + body };
  }
}

// ---- a binding over the codec ----------------------------------------------

export interface RestXmlOutcome extends RestXmlOutput {
  /** Resources touched, for the audit trail. */
  resources?: { type: string; name: string }[];
}

/** One row of a service's operation table: decoded input in, output out. */
export type RestXmlHandler = (input: RestXmlInput, ctx: CallContext) => RestXmlOutcome | Promise<RestXmlOutcome>;

export interface RestXmlBindingSpec extends RestXmlSpec {
  signingName: string;
  eventSource: string;
  survivesRegionOutage?: boolean;
  /** Operation name → handler; every route needs one. */
  handlers: Readonly<Record<string, RestXmlHandler>>;
}

/** A service reached over restXml. */
export function createRestXmlBinding(spec: RestXmlBindingSpec): ServiceBinding & { codec: RestXmlCodec } {
  const codec = new RestXmlCodec(spec);
  for (const route of spec.routes) {
    if (!Object.hasOwn(spec.handlers, route.operation)) throw new Error(`no handler for ${route.operation}`);
  }
  // Each error response answers the request that caused it, but the dispatcher hands renderError only
  // the context. Errors raised in invoke are known by request id; errors raised while routing (or by the
  // dispatcher's refusals right after) are rendered before any other request can come in between.
  const methods = new Map<string, string>();
  let routing = 'GET';
  return {
    codec,
    signingName: spec.signingName,
    eventSource: spec.eventSource,
    ...(spec.survivesRegionOutage ? { survivesRegionOutage: true } : {}),
    operationOf(request) {
      routing = request.method;
      return codec.operationOf(request);
    },
    async invoke(operation, request, ctx): Promise<InvokeResult> {
      methods.set(ctx.requestId, request.method);
      const handler = spec.handlers[operation]!;
      const outcome = await handler(codec.decode(operation, request), ctx);
      methods.delete(ctx.requestId);
      const { resources, ...output } = outcome;
      return { response: codec.encode(operation, output, ctx.requestId), ...(resources ? { resources } : {}) };
    },
    renderError(error, ctx) {
      const method = methods.get(ctx.requestId) ?? routing;
      methods.delete(ctx.requestId);
      return codec.renderError(error, ctx.requestId, method);
    },
  };
}
