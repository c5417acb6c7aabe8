import * as sdk from '@aws-sdk/client-route-53';
import { InvalidInput, Route53Client } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator } from '../src/sim/index.js';
import { createRoute53Module, route53MemberNames, route53Operations, ROUTE53_XML_NAMESPACE, type Route53Module } from '../src/sim/services/route53/index.js';
import type { SimRequest, SimResponse } from '../src/sim/types.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';

/**
 * The SDK's own schema is the authority for what parses: these tests walk
 * `@aws-sdk/client-route-53`'s static schemas (`[3, ns, name, traits,
 * memberNames, memberSchemas]` for a structure, `[1, ns, name, traits,
 * member]` for a list, `[9, ns, name, traits, input, output]` for an
 * operation) against the binding's member table, then send the service
 * documents no SDK would, to see Route 53's own errors come back.
 */

type Traits = Record<string, unknown>;
const schemas = sdk as unknown as Record<string, unknown>;

const deref = (schema: unknown): unknown => (typeof schema === 'function' ? (schema as () => unknown)() : schema);

function memberRef(ref: unknown): { target: unknown; traits: Traits } {
  const value = deref(ref);
  if (Array.isArray(value) && value.length === 2 && (typeof value[0] === 'function' || typeof value[0] === 'number')) {
    return { target: deref(value[0]), traits: typeof value[1] === 'object' && value[1] !== null ? (value[1] as Traits) : {} };
  }
  return { target: value, traits: {} };
}

const kindOf = (schema: unknown): number | undefined => (Array.isArray(schema) && typeof schema[1] === 'string' ? (schema[0] as number) : undefined);

interface ListSite {
  parent: string;
  field: string;
  member: string;
}

/** Every list reachable from a structure: the element it sits in, its own element name, its members' element name. */
function listSites(struct: unknown, element: string, out: ListSite[], seen: Set<string>): ListSite[] {
  const kind = kindOf(struct);
  if (kind !== 3 && kind !== -3) return out;
  const [, , name, , names, members] = struct as [number, string, string, Traits, string[], unknown[]];
  const key = `${element}/${name}`;
  if (seen.has(key)) return out;
  seen.add(key);
  names.forEach((field, i) => {
    const { target, traits } = memberRef(members[i]);
    // Members bound to the path, query string or headers are not in the document.
    if (traits['httpLabel'] || traits['httpQuery'] || traits['httpHeader']) return;
    const elementName = typeof traits['xmlName'] === 'string' ? traits['xmlName'] : field;
    if (kindOf(target) === 1) {
      const m = memberRef((target as unknown[])[4]);
      const memberName = typeof m.traits['xmlName'] === 'string' ? m.traits['xmlName'] : 'member';
      out.push({ parent: element, field: elementName, member: memberName });
      listSites(m.target, memberName, out, seen);
    } else {
      listSites(target, elementName, out, seen);
    }
  });
  return out;
}

function memberNameFor(field: string, parent: string): string | undefined {
  return route53MemberNames[`${parent}.${field}`] ?? route53MemberNames[field];
}

async function setupOver(via: TransportHarness) {
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 5, 9) });
  const sim = createSimulator({ clock, seed: 42, services: [createRoute53Module] });
  return { clock, sim, r53: new Route53Client(await via.config(sim, clock, 'us-east-1')), route53: sim.world.module<Route53Module>('route53') };
}

const auth = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260105/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=x';

function raw(method: string, path: string, body = '', query: Record<string, string> = {}): SimRequest {
  return { method, path, query, headers: { authorization: auth, 'content-type': 'application/xml' }, body: new TextEncoder().encode(body) };
}

const text = (response: SimResponse): string => (typeof response.body === 'string' ? response.body : Buffer.from(response.body).toString('utf8'));

describe('Route 53 wire format against the SDK schema', () => {
  it('names the members of every list the served operations read or write as the SDK does', () => {
    const sites: ListSite[] = [];
    for (const operation of route53Operations) {
      const op = schemas[`${operation}$`] as unknown[];
      expect(op, operation).toBeDefined();
      listSites(deref(op[4]), `${operation}Request`, sites, new Set());
      listSites(deref(op[5]), `${operation}Response`, sites, new Set());
    }
    listSites(schemas['InvalidChangeBatch$'], 'Error', sites, new Set());
    expect(sites.length).toBeGreaterThan(10);
    for (const site of sites) {
      expect(memberNameFor(site.field, site.parent), `${site.parent}.${site.field}`).toBe(site.member);
    }
  });

  it('routes every served operation on the method and path the SDK uses', () => {
    // The binding's routing table, read directly: no request is sent.
    const sim = createSimulator({ clock: new VirtualClock({ start: Date.UTC(2026, 0, 5, 9) }), seed: 42, services: [createRoute53Module] });
    const route53 = sim.world.module<Route53Module>('route53');
    for (const operation of route53Operations) {
      const op = schemas[`${operation}$`] as [number, string, string, { http: [string, string, number] }];
      const [method, template, status] = op[3].http;
      const path = template.replace(/\{[^}]+\}/g, 'Z123');
      expect(route53.binding.operationOf(raw(method, path)), `${method} ${template}`).toBe(operation);
      expect(status === 201).toBe(operation === 'CreateHostedZone' || operation === 'CreateHealthCheck');
    }
  });
});

describe.each(transports)('Route 53 over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = () => setupOver(via);

  describe('Route 53 request documents', () => {
    it('reads a pretty-printed document with entities, and ids with their /hostedzone/ prefix in the path', async () => {
      const { sim, clock } = await setup();
      const created = await via.send(
        sim,
        clock,
        raw(
          'POST',
          '/2013-04-01/hostedzone',
          `<?xml version="1.0" encoding="UTF-8"?>
<CreateHostedZoneRequest xmlns="${ROUTE53_XML_NAMESPACE}">
  <Name>securecart.example</Name>
  <CallerReference>r&amp;1</CallerReference>
  <HostedZoneConfig>
    <Comment>  spaced &lt;comment&gt;  </Comment>
  </HostedZoneConfig>
</CreateHostedZoneRequest>`,
        ),
      );
      expect(created.statusCode).toBe(201);
      const body = text(created);
      expect(body).toMatch(new RegExp(`^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<CreateHostedZoneResponse xmlns="${ROUTE53_XML_NAMESPACE}">`));
      expect(body).toContain('<CallerReference>r&amp;1</CallerReference>');
      expect(body).toContain('<Comment>  spaced &lt;comment&gt;  </Comment>');
      expect(body).toContain('<DelegationSet><NameServers><NameServer>ns-');
      const id = /<Id>\/hostedzone\/(Z[A-Z0-9]+)<\/Id>/.exec(body)![1]!;
      const change = await via.send(
        sim,
        clock,
        raw(
          'POST',
          `/2013-04-01/hostedzone/${id}/rrset`,
          `<ChangeResourceRecordSetsRequest xmlns="${ROUTE53_XML_NAMESPACE}"><ChangeBatch><Changes>
           <Change><Action>CREATE</Action><ResourceRecordSet><Name>api.securecart.example</Name><Type>A</Type><TTL> 60 </TTL>
             <ResourceRecords><ResourceRecord><Value>52.0.0.1</Value></ResourceRecord><ResourceRecord><Value>52.0.0.2</Value></ResourceRecord></ResourceRecords>
           </ResourceRecordSet></Change>
         </Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`,
        ),
      );
      expect(change.statusCode).toBe(200);
      expect(text(change)).toMatch(/<ChangeResourceRecordSetsResponse xmlns="[^"]+"><ChangeInfo><Id>\/change\/C[A-Z0-9]+<\/Id><Status>PENDING<\/Status><SubmittedAt>2026-01-05T09:00:00.000Z<\/SubmittedAt><\/ChangeInfo>/);
      const listed = text(await via.send(sim, clock, raw('GET', `/2013-04-01/hostedzone/${id}/rrset`, '', { name: 'api.securecart.example', type: 'A' })));
      expect(listed).toContain('<ResourceRecordSets><ResourceRecordSet><Name>api.securecart.example.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>52.0.0.1</Value></ResourceRecord><ResourceRecord><Value>52.0.0.2</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>');
    });

    it.each([
      ['XML that is not well formed', '<CreateHostedZoneRequest><Name>x.example</CreateHostedZoneRequest>', /^Invalid XML ; Expected closing tag 'Name'/],
      ['no XML at all', 'Name=x.example', /^Invalid XML ; /],
      ['two root elements', '<CreateHostedZoneRequest/><Other/>', /exactly one root element/],
      ['the wrong root element', '<CreateHealthCheckRequest><CallerReference>x</CallerReference></CreateHealthCheckRequest>', /root element must be CreateHostedZoneRequest/],
      ['a DOCTYPE', '<!DOCTYPE x [<!ENTITY e "boom">]><CreateHostedZoneRequest><Name>&e;</Name></CreateHostedZoneRequest>', /DOCTYPE is not allowed/],
      ['a missing required member', '<CreateHostedZoneRequest><Name>x.example</Name></CreateHostedZoneRequest>', "1 validation error detected: Value null at 'callerReference' failed to satisfy constraint: Member must not be null"],
      ['a boolean that is not one', '<CreateHostedZoneRequest><Name>x.example</Name><CallerReference>c</CallerReference><HostedZoneConfig><PrivateZone>maybe</PrivateZone></HostedZoneConfig></CreateHostedZoneRequest>', /'maybe' is not a valid value for 'boolean'/],
    ])('answers %s with InvalidInput in the ErrorResponse envelope', async (_what, body, message) => {
      const { sim, clock } = await setup();
      const response = await via.send(sim, clock, raw('POST', '/2013-04-01/hostedzone', body));
      expect(response.statusCode).toBe(400);
      const xml = text(response);
      expect(xml).toMatch(
        new RegExp(
          `^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<ErrorResponse xmlns="${ROUTE53_XML_NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>.*</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
        ),
      );
      const got = /<Message>(.*)<\/Message>/.exec(xml)![1]!.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      if (typeof message === 'string') expect(got).toBe(message);
      else expect(got).toMatch(message);
    });

    it('answers a TTL that is not a number with InvalidInput naming where it is', async () => {
      const { sim, clock } = await setup();
      const zone = sim.world.module<Route53Module>('route53').model.seedHostedZone({ name: 'securecart.example' });
      const response = await via.send(
        sim,
        clock,
        raw(
          'POST',
          `/2013-04-01/hostedzone/${zone.id}/rrset`,
          `<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a.securecart.example</Name><Type>A</Type><TTL>sixty</TTL><ResourceRecords><ResourceRecord><Value>52.0.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`,
        ),
      );
      expect(response.statusCode).toBe(400);
      expect(text(response)).toContain('<Code>InvalidInput</Code><Message>Invalid XML ; cvc-datatype-valid.1.2.1: &apos;sixty&apos; is not a valid value for &apos;integer&apos; (ChangeBatch.Changes[1].ResourceRecordSet.TTL).</Message>');
    });

    it('audits every call with its resources, read-only or not', async () => {
      const { r53, sim } = await setup();
      const created = await r53.send(new sdk.CreateHostedZoneCommand({ Name: 'securecart.example', CallerReference: 'audit' }));
      await r53.send(new sdk.GetHostedZoneCommand({ Id: created.HostedZone!.Id }));
      await r53.send(new sdk.GetHostedZoneCommand({ Id: 'ZNOPE' })).catch(() => undefined);
      await expect(r53.send(new sdk.CreateHealthCheckCommand({ CallerReference: 'x', HealthCheckConfig: { Type: 'HTTP' } }))).rejects.toBeInstanceOf(InvalidInput);
      const trail = sim.world.audit.map((r) => ({ event: r.eventName, source: r.eventSource, readOnly: r.readOnly, error: r.errorCode, resources: r.resources }));
      expect(trail).toEqual([
        { event: 'CreateHostedZone', source: 'route53.amazonaws.com', readOnly: false, error: undefined, resources: [{ type: 'AWS::Route53::HostedZone', name: created.HostedZone!.Id!.replace('/hostedzone/', '') }] },
        { event: 'GetHostedZone', source: 'route53.amazonaws.com', readOnly: true, error: undefined, resources: [{ type: 'AWS::Route53::HostedZone', name: created.HostedZone!.Id!.replace('/hostedzone/', '') }] },
        { event: 'GetHostedZone', source: 'route53.amazonaws.com', readOnly: true, error: 'NoSuchHostedZone', resources: [] },
        { event: 'CreateHealthCheck', source: 'route53.amazonaws.com', readOnly: false, error: 'InvalidInput', resources: [] },
      ]);
    });
  });
});
