import type { AwsError, CallContext, SimResponse } from '../types.js';
import { QueryBinding, type QueryOperation, type QueryOutput } from './query.js';
import { encodeContent, escapeXml, XML_DECLARATION } from './xml.js';

/**
 * EC2's variant of the Query protocol (`ec2Query`). Requests are awsQuery's
 * form parameters with lists numbered right after their name
 * (`VolumeId.1`, `Filter.1.Value.1`), so the awsQuery decoder runs with
 * `flattenLists`. Responses differ: no `<…Result>` wrapper, the request id
 * is a `<requestId>` child of the root, elements are lowerCamel (the
 * service's table writes them so) and every list member is `<item>`.
 * Errors are `<Response><Errors><Error>…</Error></Errors><RequestID>`.
 * Knows nothing of any one service.
 */

export interface Ec2QueryServiceSpec {
  signingName: string;
  eventSource: string;
  /** `http://ec2.amazonaws.com/doc/2016-11-15/` */
  xmlNamespace: string;
  survivesRegionOutage?: boolean;
  operations: Readonly<Record<string, QueryOperation>>;
}

export class Ec2QueryBinding extends QueryBinding {
  private readonly xmlNamespace: string;

  constructor(spec: Ec2QueryServiceSpec) {
    super({ ...spec, flattenLists: true, memberNames: {}, defaultMemberName: 'item' });
    this.xmlNamespace = spec.xmlNamespace;
  }

  override memberNameOf(): string {
    return 'item';
  }

  override encode(operation: string, output: QueryOutput | undefined, requestId: string): SimResponse {
    const options = { memberNameOf: () => 'item', defaultMemberName: 'item' };
    const root = `${operation}Response`;
    const body =
      XML_DECLARATION +
      `<${root} xmlns="${escapeXml(this.xmlNamespace)}">` +
      `<requestId>${escapeXml(requestId)}</requestId>` +
      (output ? encodeContent(root, output, options) : '') +
      `</${root}>`;
    return { statusCode: 200, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId }, body };
  }

  override renderError(error: AwsError, ctx: CallContext): SimResponse {
    return renderEc2Error(error, ctx.requestId);
  }
}

/** `<Response><Errors><Error>` with the error's HTTP status; the SDK names the exception after `Code`. */
export function renderEc2Error(error: AwsError, requestId: string): SimResponse {
  const body =
    XML_DECLARATION +
    `<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors>` +
    `<RequestID>${escapeXml(requestId)}</RequestID></Response>`;
  return { statusCode: error.statusCode, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId }, body };
}

export function createEc2QueryBinding(spec: Ec2QueryServiceSpec): Ec2QueryBinding {
  return new Ec2QueryBinding(spec);
}
