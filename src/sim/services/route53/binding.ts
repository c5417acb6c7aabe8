import type { XmlValue } from '../../protocols/xml.js';
import {
  createRestXmlBinding,
  type RestXmlErrors,
  type RestXmlHandler,
  type RestXmlInput,
  type RestXmlRoute,
  type XmlReader,
} from '../../protocols/rest-xml.js';
import { AwsError, type ServiceBinding } from '../../types.js';
import { route53Errors } from './errors.js';
import type { Route53Model } from './model.js';
import { wireName } from './names.js';
import type {
  ChangeInfo,
  ChangeSpec,
  CreateHealthCheckSpec,
  HealthCheck,
  HealthCheckType,
  HostedZone,
  RecordSet,
  RecordSetSpec,
  RecordType,
  UpdateHealthCheckSpec,
} from './types.js';

/** Route 53's API version, the first segment of every path, and the XML namespace of its documents. */
export const ROUTE53_VERSION = '2013-04-01';
export const ROUTE53_XML_NAMESPACE = `https://route53.amazonaws.com/doc/${ROUTE53_VERSION}/`;

/**
 * The element wrapping each member of a list, in requests and responses,
 * from the SDK's own schema (`@aws-sdk/client-route-53`, the authority for
 * what parses; test/route53-wire.test.ts walks it against this table).
 */
export const route53MemberNames: Readonly<Record<string, string>> = {
  Changes: 'Change',
  ResourceRecords: 'ResourceRecord',
  ResourceRecordSets: 'ResourceRecordSet',
  HostedZones: 'HostedZone',
  NameServers: 'NameServer',
  VPCs: 'VPC',
  HealthChecks: 'HealthCheck',
  Regions: 'Region',
  ChildHealthChecks: 'ChildHealthCheck',
  ResetElements: 'ResettableElementName',
  HealthCheckObservations: 'HealthCheckObservation',
  RecordData: 'RecordDataEntry',
  Dimensions: 'Dimension',
  messages: 'Message',
};

type Body = { [key: string]: XmlValue };

const HOSTED_ZONE = 'AWS::Route53::HostedZone';
const HEALTH_CHECK = 'AWS::Route53::HealthCheck';
const CHANGE = 'AWS::Route53::Change';
const base = `/${ROUTE53_VERSION}`;

/** `/hostedzone/Z1` and `Z1` name the same zone (the SDK strips the prefix, other clients may not). */
const bare = (id: string): string => id.replace(/^\/?(hostedzone|change|delegationset)\//, '');

/** AWS's validation paths: `ChangeBatch.Changes[1].ResourceRecordSet.TTL` → `changeBatch.changes.1.member.resourceRecordSet.tTL`. */
function validationPath(path: string): string {
  return path
    .split('.')
    .map((part) => {
      const list = /^(.*)\[(\d+)\]$/.exec(part);
      const name = list ? list[1]! : part;
      const camel = name.charAt(0).toLowerCase() + name.slice(1);
      return list ? `${camel}.${list[2]}.member` : camel;
    })
    .join('.');
}

/** Route 53 validates request documents against its schema and reports problems as InvalidInput. */
const errors: RestXmlErrors = {
  malformed: (detail) => route53Errors.invalidInput(`Invalid XML ; ${detail}`),
  invalidValue: (path, expected, value) =>
    route53Errors.invalidInput(`Invalid XML ; cvc-datatype-valid.1.2.1: '${value}' is not a valid value for '${expected}' (${path}).`),
  missing: (path) => route53Errors.validation(validationPath(path), null, 'Member must not be null'),
  unknownOperation: (method, path) => new AwsError('UnknownOperationException', `No Route 53 operation matches ${method} ${path}.`, 404),
};

interface Route53Operation extends RestXmlRoute {
  handle(model: Route53Model, input: RestXmlInput): ReturnType<RestXmlHandler>;
}

const str = (r: XmlReader, n: string) => r.string(n);
const obj = (r: XmlReader, n: string) => r.object(n);
const list = (r: XmlReader, n: string) => r.objectList(n);

const operations: Route53Operation[] = [
  {
    operation: 'CreateHostedZone',
    method: 'POST',
    path: `${base}/hostedzone`,
    successStatus: 201,
    requestRoot: 'CreateHostedZoneRequest',
    handle: (model, input) => {
      const b = input.body;
      const config = b.object('HostedZoneConfig');
      const vpc = b.object('VPC');
      const comment = config?.string('Comment');
      const privateZone = config?.boolean('PrivateZone');
      const vpcRegion = vpc?.string('VPCRegion');
      const vpcId = vpc?.string('VPCId');
      const delegationSetId = b.string('DelegationSetId');
      const { zone, change } = model.createHostedZone({
        name: b.required('Name', str),
        callerReference: b.required('CallerReference', str),
        ...(comment !== undefined ? { comment } : {}),
        ...(privateZone !== undefined ? { privateZone } : {}),
        ...(vpc ? { vpc: { ...(vpcRegion !== undefined ? { region: vpcRegion } : {}), ...(vpcId !== undefined ? { id: vpcId } : {}) } } : {}),
        ...(delegationSetId !== undefined ? { delegationSetId: bare(delegationSetId) } : {}),
      });
      return {
        body: {
          HostedZone: hostedZoneOut(model, zone),
          ChangeInfo: changeOut(change),
          DelegationSet: zone.privateZone ? undefined : { NameServers: zone.nameServers },
          VPC: zone.vpcs[0] ? { VPCRegion: zone.vpcs[0].region, VPCId: zone.vpcs[0].id } : undefined,
        },
        headers: { location: `https://route53.amazonaws.com${base}/hostedzone/${zone.id}` },
        resources: [{ type: HOSTED_ZONE, name: zone.id }],
      };
    },
  },
  {
    operation: 'GetHostedZone',
    method: 'GET',
    path: `${base}/hostedzone/{Id}`,
    handle: (model, input) => {
      const zone = model.zone(bare(input.label('Id')));
      return {
        body: {
          HostedZone: hostedZoneOut(model, zone),
          DelegationSet: zone.privateZone ? undefined : { NameServers: zone.nameServers },
          VPCs: zone.privateZone ? zone.vpcs.map((v) => ({ VPCRegion: v.region, VPCId: v.id })) : undefined,
        },
        resources: [{ type: HOSTED_ZONE, name: zone.id }],
      };
    },
  },
  {
    operation: 'ListHostedZones',
    method: 'GET',
    path: `${base}/hostedzone`,
    handle: (model, input) => {
      if (input.queryString('delegationsetid') !== undefined) throw route53Errors.noSuchDelegationSet(input.queryString('delegationsetid')!);
      const type = input.queryString('hostedzonetype');
      if (type !== undefined && type !== 'PrivateHostedZone') {
        throw route53Errors.validation('hostedZoneType', type, 'Member must satisfy enum value set: [PrivateHostedZone]');
      }
      const marker = input.queryString('marker');
      const page = model.listHostedZones(marker ? bare(marker) : undefined, input.queryInteger('maxitems'), type === 'PrivateHostedZone');
      return {
        body: {
          HostedZones: page.items.map((z) => hostedZoneOut(model, z)),
          Marker: marker ?? '',
          IsTruncated: page.isTruncated,
          NextMarker: page.nextMarker,
          MaxItems: page.maxItems,
        },
      };
    },
  },
  {
    operation: 'ListHostedZonesByName',
    method: 'GET',
    path: `${base}/hostedzonesbyname`,
    handle: (model, input) => {
      const dnsName = input.queryString('dnsname');
      const zoneId = input.queryString('hostedzoneid');
      const page = model.listHostedZonesByName(dnsName, zoneId ? bare(zoneId) : undefined, input.queryInteger('maxitems'));
      return {
        body: {
          HostedZones: page.items.map((z) => hostedZoneOut(model, z)),
          DNSName: dnsName,
          HostedZoneId: zoneId,
          IsTruncated: page.isTruncated,
          NextDNSName: page.nextDnsName !== undefined ? wireName(page.nextDnsName) : undefined,
          NextHostedZoneId: page.nextHostedZoneId,
          MaxItems: page.maxItems,
        },
      };
    },
  },
  {
    operation: 'DeleteHostedZone',
    method: 'DELETE',
    path: `${base}/hostedzone/{Id}`,
    handle: (model, input) => {
      const id = bare(input.label('Id'));
      const change = model.deleteHostedZone(id);
      return { body: { ChangeInfo: changeOut(change) }, resources: [{ type: HOSTED_ZONE, name: id }] };
    },
  },
  {
    operation: 'ChangeResourceRecordSets',
    method: 'POST',
    path: `${base}/hostedzone/{HostedZoneId}/rrset`,
    requestRoot: 'ChangeResourceRecordSetsRequest',
    handle: (model, input) => {
      const id = bare(input.label('HostedZoneId'));
      const batch = input.body.required('ChangeBatch', obj);
      const changes = batch.required('Changes', list).map(readChange);
      const comment = batch.string('Comment');
      const change = model.changeResourceRecordSets(id, changes, comment);
      return {
        body: { ChangeInfo: changeOut(change) },
        resources: [
          { type: HOSTED_ZONE, name: id },
          { type: CHANGE, name: change.id },
        ],
      };
    },
  },
  {
    operation: 'ListResourceRecordSets',
    method: 'GET',
    path: `${base}/hostedzone/{HostedZoneId}/rrset`,
    handle: (model, input) => {
      const id = bare(input.label('HostedZoneId'));
      const name = input.queryString('name');
      const type = input.queryString('type');
      const identifier = input.queryString('identifier');
      const page = model.listResourceRecordSets(
        id,
        { ...(name !== undefined ? { name } : {}), ...(type !== undefined ? { type } : {}), ...(identifier !== undefined ? { identifier } : {}) },
        input.queryInteger('maxitems'),
      );
      return {
        body: {
          ResourceRecordSets: page.items.map(recordSetOut),
          IsTruncated: page.isTruncated,
          NextRecordName: page.next ? wireName(page.next.name) : undefined,
          NextRecordType: page.next?.type,
          NextRecordIdentifier: page.next?.identifier,
          MaxItems: page.maxItems,
        },
        resources: [{ type: HOSTED_ZONE, name: id }],
      };
    },
  },
  {
    operation: 'GetChange',
    method: 'GET',
    path: `${base}/change/{Id}`,
    handle: (model, input) => {
      const change = model.getChange(bare(input.label('Id')));
      return { body: { ChangeInfo: changeOut(change) }, resources: [{ type: CHANGE, name: change.id }] };
    },
  },
  {
    operation: 'CreateHealthCheck',
    method: 'POST',
    path: `${base}/healthcheck`,
    successStatus: 201,
    requestRoot: 'CreateHealthCheckRequest',
    handle: (model, input) => {
      const b = input.body;
      const callerReference = b.required('CallerReference', str);
      const config = readHealthCheckConfig(b.required('HealthCheckConfig', obj));
      const { check } = model.healthChecks.create(callerReference, config);
      return {
        body: { HealthCheck: healthCheckOut(check) },
        headers: { location: `https://route53.amazonaws.com${base}/healthcheck/${check.id}` },
        resources: [{ type: HEALTH_CHECK, name: check.id }],
      };
    },
  },
  {
    operation: 'GetHealthCheck',
    method: 'GET',
    path: `${base}/healthcheck/{HealthCheckId}`,
    handle: (model, input) => {
      const check = model.healthChecks.get(input.label('HealthCheckId'));
      return { body: { HealthCheck: healthCheckOut(check) }, resources: [{ type: HEALTH_CHECK, name: check.id }] };
    },
  },
  {
    operation: 'ListHealthChecks',
    method: 'GET',
    path: `${base}/healthcheck`,
    handle: (model, input) => {
      const marker = input.queryString('marker');
      const page = model.healthChecks.list(marker, input.queryInteger('maxitems'));
      return {
        body: {
          HealthChecks: page.items.map(healthCheckOut),
          Marker: marker ?? '',
          IsTruncated: page.isTruncated,
          NextMarker: page.nextMarker,
          MaxItems: page.maxItems,
        },
      };
    },
  },
  {
    operation: 'UpdateHealthCheck',
    method: 'POST',
    path: `${base}/healthcheck/{HealthCheckId}`,
    requestRoot: 'UpdateHealthCheckRequest',
    handle: (model, input) => {
      const check = model.healthChecks.update(input.label('HealthCheckId'), readHealthCheckUpdate(input.body));
      return { body: { HealthCheck: healthCheckOut(check) }, resources: [{ type: HEALTH_CHECK, name: check.id }] };
    },
  },
  {
    operation: 'GetHealthCheckStatus',
    method: 'GET',
    path: `${base}/healthcheck/{HealthCheckId}/status`,
    handle: (model, input) => {
      const id = input.label('HealthCheckId');
      const observations = model.healthChecks.observations(id);
      return {
        body: {
          HealthCheckObservations: observations.map((o) => ({
            Region: o.region,
            IPAddress: o.ipAddress,
            StatusReport: { Status: o.status, CheckedTime: new Date(o.checkedAt) },
          })),
        },
        resources: [{ type: HEALTH_CHECK, name: id }],
      };
    },
  },
  {
    operation: 'DeleteHealthCheck',
    method: 'DELETE',
    path: `${base}/healthcheck/{HealthCheckId}`,
    handle: (model, input) => {
      const check = model.healthChecks.delete(input.label('HealthCheckId'));
      return { body: {}, resources: [{ type: HEALTH_CHECK, name: check.id }] };
    },
  },
  {
    operation: 'TestDNSAnswer',
    method: 'GET',
    path: `${base}/testdnsanswer`,
    handle: (model, input) => {
      const need = (name: string, path: string): string => {
        const value = input.queryString(name);
        if (value === undefined || value === '') throw route53Errors.validation(path, null, 'Member must not be null');
        return value;
      };
      const zoneId = bare(need('hostedzoneid', 'hostedZoneId'));
      const recordName = need('recordname', 'recordName');
      const recordType = need('recordtype', 'recordType');
      const answer = model.answerFromZone(zoneId, recordName, recordType);
      return {
        body: {
          Nameserver: answer.nameserver,
          RecordName: recordName,
          RecordType: recordType,
          RecordData: answer.records.map((r) => r.value),
          ResponseCode: answer.rcode,
          Protocol: 'UDP',
        },
        resources: [{ type: HOSTED_ZONE, name: zoneId }],
      };
    },
  },
];

/** The operation names Route 53 answers, in table order. */
export const route53Operations: readonly string[] = operations.map((op) => op.operation);

export function createRoute53Binding(model: Route53Model): ServiceBinding {
  const handlers: Record<string, RestXmlHandler> = {};
  for (const op of operations) handlers[op.operation] = (input) => op.handle(model, input);
  return createRestXmlBinding({
    signingName: 'route53',
    eventSource: 'route53.amazonaws.com',
    // Route 53 is global (signed for us-east-1): DNS and health checks go on when any one region is down.
    survivesRegionOutage: true,
    xmlNamespace: ROUTE53_XML_NAMESPACE,
    errorEnvelope: 'ErrorResponse',
    memberNames: route53MemberNames,
    errors,
    routes: operations.map(({ handle: _handle, ...route }) => route),
    handlers,
  });
}

// ---- input ------------------------------------------------------------------

function readChange(change: XmlReader): ChangeSpec {
  const action = change.required('Action', str);
  const recordSet = readRecordSet(change.required('ResourceRecordSet', obj));
  return { action: action as ChangeSpec['action'], recordSet };
}

function readRecordSet(r: XmlReader): RecordSetSpec {
  for (const unsupported of ['TrafficPolicyInstanceId', 'CidrRoutingConfig', 'GeoProximityLocation']) {
    if (r.has(unsupported)) throw route53Errors.invalidInput(`Invalid request: ${unsupported} is not supported by the simulator.`);
  }
  const spec: RecordSetSpec = { name: r.required('Name', str), type: r.required('Type', str) as RecordType };
  const setIdentifier = r.string('SetIdentifier');
  if (setIdentifier !== undefined) spec.setIdentifier = setIdentifier;
  const weight = r.integer('Weight');
  if (weight !== undefined) spec.weight = weight;
  const region = r.string('Region');
  if (region !== undefined) spec.region = region;
  const geo = r.object('GeoLocation');
  if (geo) {
    const continentCode = geo.string('ContinentCode');
    const countryCode = geo.string('CountryCode');
    const subdivisionCode = geo.string('SubdivisionCode');
    spec.geoLocation = {
      ...(continentCode !== undefined ? { continentCode } : {}),
      ...(countryCode !== undefined ? { countryCode } : {}),
      ...(subdivisionCode !== undefined ? { subdivisionCode } : {}),
    };
  }
  const failover = r.string('Failover');
  if (failover !== undefined) spec.failover = failover as RecordSetSpec['failover'];
  const multiValueAnswer = r.boolean('MultiValueAnswer');
  if (multiValueAnswer !== undefined) spec.multiValueAnswer = multiValueAnswer;
  const ttl = r.integer('TTL');
  if (ttl !== undefined) spec.ttl = ttl;
  const records = r.objectList('ResourceRecords');
  if (records !== undefined) spec.values = records.map((record) => record.required('Value', str));
  const alias = r.object('AliasTarget');
  if (alias) {
    spec.aliasTarget = {
      hostedZoneId: alias.required('HostedZoneId', str),
      dnsName: alias.required('DNSName', str),
      evaluateTargetHealth: alias.required('EvaluateTargetHealth', (a, n) => a.boolean(n)),
    };
  }
  const healthCheckId = r.string('HealthCheckId');
  if (healthCheckId !== undefined) spec.healthCheckId = healthCheckId;
  return spec;
}

function readAlarm(r: XmlReader): { region: string; name: string } | undefined {
  const alarm = r.object('AlarmIdentifier');
  return alarm ? { region: alarm.required('Region', str), name: alarm.required('Name', str) } : undefined;
}

/** The members HealthCheckConfig and UpdateHealthCheckRequest share. */
function readHealthCheckFields(r: XmlReader): Omit<UpdateHealthCheckSpec, 'healthCheckVersion' | 'resetElements'> {
  const out: Omit<UpdateHealthCheckSpec, 'healthCheckVersion' | 'resetElements'> = {};
  const set = <K extends keyof typeof out>(key: K, value: (typeof out)[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('ipAddress', r.string('IPAddress'));
  set('port', r.integer('Port'));
  set('resourcePath', r.string('ResourcePath'));
  set('fullyQualifiedDomainName', r.string('FullyQualifiedDomainName'));
  set('searchString', r.string('SearchString'));
  set('failureThreshold', r.integer('FailureThreshold'));
  set('inverted', r.boolean('Inverted'));
  set('disabled', r.boolean('Disabled'));
  set('healthThreshold', r.integer('HealthThreshold'));
  set('childHealthChecks', r.stringList('ChildHealthChecks'));
  set('enableSni', r.boolean('EnableSNI'));
  set('regions', r.stringList('Regions'));
  set('alarmIdentifier', readAlarm(r));
  set('insufficientDataHealthStatus', r.string('InsufficientDataHealthStatus'));
  return out;
}

function readHealthCheckConfig(r: XmlReader): CreateHealthCheckSpec {
  const spec: CreateHealthCheckSpec = { type: r.required('Type', str) as HealthCheckType, ...readHealthCheckFields(r) };
  const interval = r.integer('RequestInterval');
  if (interval !== undefined) spec.requestInterval = interval;
  const measureLatency = r.boolean('MeasureLatency');
  if (measureLatency !== undefined) spec.measureLatency = measureLatency;
  const routingControlArn = r.string('RoutingControlArn');
  if (routingControlArn !== undefined) spec.routingControlArn = routingControlArn;
  return spec;
}

function readHealthCheckUpdate(r: XmlReader): UpdateHealthCheckSpec {
  const spec: UpdateHealthCheckSpec = readHealthCheckFields(r);
  const version = r.integer('HealthCheckVersion');
  if (version !== undefined) spec.healthCheckVersion = version;
  const reset = r.stringList('ResetElements');
  if (reset !== undefined) spec.resetElements = reset;
  return spec;
}

// ---- output -----------------------------------------------------------------

function hostedZoneOut(model: Route53Model, zone: HostedZone): Body {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: wireName(zone.name),
    CallerReference: zone.callerReference,
    Config: { Comment: zone.comment, PrivateZone: zone.privateZone },
    ResourceRecordSetCount: model.recordCount(zone),
  };
}

function changeOut(change: ChangeInfo): Body {
  return { Id: `/change/${change.id}`, Status: change.status, SubmittedAt: new Date(change.submittedAt), Comment: change.comment };
}

function recordSetOut(record: RecordSet): Body {
  return {
    Name: wireName(record.name),
    Type: record.type,
    SetIdentifier: record.setIdentifier,
    Weight: record.weight,
    Region: record.region,
    GeoLocation: record.geoLocation
      ? { ContinentCode: record.geoLocation.continentCode, CountryCode: record.geoLocation.countryCode, SubdivisionCode: record.geoLocation.subdivisionCode }
      : undefined,
    Failover: record.failover,
    MultiValueAnswer: record.multiValueAnswer,
    TTL: record.ttl,
    ResourceRecords: record.aliasTarget ? undefined : record.values.map((value) => ({ Value: value })),
    AliasTarget: record.aliasTarget
      ? { HostedZoneId: record.aliasTarget.hostedZoneId, DNSName: wireName(record.aliasTarget.dnsName), EvaluateTargetHealth: record.aliasTarget.evaluateTargetHealth }
      : undefined,
    HealthCheckId: record.healthCheckId,
  };
}

function healthCheckOut(check: HealthCheck): Body {
  const c = check.config;
  return {
    Id: check.id,
    CallerReference: check.callerReference,
    HealthCheckConfig: {
      IPAddress: c.ipAddress,
      Port: c.port,
      Type: c.type,
      ResourcePath: c.resourcePath,
      FullyQualifiedDomainName: c.fullyQualifiedDomainName,
      SearchString: c.searchString,
      RequestInterval: c.requestInterval,
      FailureThreshold: c.failureThreshold,
      MeasureLatency: c.measureLatency,
      Inverted: c.inverted,
      Disabled: c.disabled,
      HealthThreshold: c.healthThreshold,
      ChildHealthChecks: c.childHealthChecks,
      EnableSNI: c.enableSni,
      Regions: c.regions,
      AlarmIdentifier: c.alarmIdentifier ? { Region: c.alarmIdentifier.region, Name: c.alarmIdentifier.name } : undefined,
      InsufficientDataHealthStatus: c.insufficientDataHealthStatus,
    },
    HealthCheckVersion: check.version,
  };
}
