/**
 * What the AWS Backup tests share: time units, the account and regions the
 * sim is seeded in, the service role AWS Backup assumes, and a helper that
 * expects a call to fail with a given exception class.
 */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const ACCOUNT = '123456789012';
export const EAST = 'us-east-1';
export const WEST = 'us-west-2';
/** The role backup plans and jobs run as. */
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`;

export { rejection } from './rejection.js';
