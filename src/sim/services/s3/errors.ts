import { RestXmlError } from '../../protocols/rest-xml.js';

/**
 * An S3 error: besides code, message and status, S3 puts resource names in
 * the error document (`<BucketName>`, `<Key>`, `<VersionId>`: the codec
 * renders them as the error's fields) and some errors carry headers
 * (`x-amz-delete-marker` on a GET of a deleted key, `x-amz-bucket-region` on
 * a redirect).
 */
export class S3Error extends RestXmlError {
  constructor(
    code: string,
    message: string,
    statusCode: number,
    readonly details: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(code, message, statusCode, details);
  }
}

/** S3's errors with its codes, statuses and wording (Amazon S3 API Reference, "Error responses"). */
export const s3Errors = {
  noSuchBucket: (bucket: string) => new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket }),
  noSuchKey: (key: string, headers: Record<string, string> = {}) =>
    new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }, headers),
  noSuchVersion: (key: string, versionId: string) =>
    new S3Error('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId }),
  noSuchTagSet: (bucket: string) => new S3Error('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket }),
  replicationConfigurationNotFound: (bucket: string) =>
    new S3Error('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', 404, { BucketName: bucket }),
  bucketAlreadyExists: (bucket: string) =>
    new S3Error(
      'BucketAlreadyExists',
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      409,
      { BucketName: bucket },
    ),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new S3Error(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { BucketName: bucket },
    ),
  bucketNotEmpty: (bucket: string) =>
    new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket }),
  invalidBucketName: (bucket: string) =>
    new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket }),
  invalidBucketState: (message: string) => new S3Error('InvalidBucketState', message, 409),
  illegalLocationConstraint: (constraint: string | undefined) =>
    new S3Error(
      'IllegalLocationConstraintException',
      `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      400,
    ),
  invalidLocationConstraint: () => new S3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400),
  /** A bucket addressed through another region's endpoint. */
  permanentRedirect: (bucket: string, region: string) =>
    new S3Error(
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      301,
      { Endpoint: `${bucket}.s3.${region}.amazonaws.com`, Bucket: bucket },
      { 'x-amz-bucket-region': region },
    ),
  accessDenied: () => new S3Error('AccessDenied', 'Access Denied', 403),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error(
      'InvalidArgument',
      message,
      400,
      name === undefined ? {} : { ArgumentName: name, ...(value === undefined ? {} : { ArgumentValue: value }) },
    ),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', message, 400),
  invalidTag: (message: string) => new S3Error('InvalidTag', message, 400),
  malformedXml: () =>
    new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400),
  keyTooLong: () => new S3Error('KeyTooLongError', 'Your key is too long', 400),
  methodNotAllowed: (headers: Record<string, string>) =>
    new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {}, headers),
  invalidRange: (size: number, range: string) =>
    new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: range, ActualObjectSize: String(size) }, {
      'content-range': `bytes */${size}`,
    }),
  preconditionFailed: (condition: string) =>
    new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition }),
  notModified: () => new S3Error('NotModified', 'Not Modified', 304),
  badDigest: (what: string) => new S3Error('BadDigest', `The ${what} you specified did not match the calculated checksum.`, 400),
  badContentMd5: () => new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400),
  invalidDigest: () => new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400),
  missingContentLength: () => new S3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411),
  incompleteBody: () =>
    new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400),
  invalidChunkSize: () =>
    new S3Error('InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes', 400),
  notImplemented: (what: string) =>
    new S3Error('NotImplemented', `A header you provided implies functionality that is not implemented: ${what}`, 501),
};
