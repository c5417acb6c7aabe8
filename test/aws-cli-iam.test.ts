import { describe, expect, it } from 'vitest';
import { useCliServer } from './support/aws-cli.js';

/**
 * The real AWS CLI v2 against `gameday sim serve` (SecureCart): `iam
 * get-role`, `list-roles` and `list-role-tags` answer for the roles the
 * environment declares (sim.roles), as an account answers whoever resolves
 * an aws:iam:role target (FIS's API-error actions, the AZ power
 * interruption's app role; the aws target's dry run), and a role that is not
 * there is NoSuchEntity. The SDK's side is in
 * sim-load-balancers-and-roles.test.ts. Skipped, saying why, where no AWS CLI
 * v2 is installed.
 */

const credentials = { accessKeyId: 'AKIACLIV2TEST0000004', secretAccessKey: 'gameday-sim-secret' };

const cliServer = useCliServer('test/aws-cli-iam.test.ts', { credentials, region: 'us-east-1', timeoutMs: 30_000 });
const { cli } = cliServer;
const aws = <T>(...args: string[]) => cliServer.aws<T>(...args);

interface Role {
  RoleName: string;
  Arn: string;
  RoleId: string;
  Path: string;
  CreateDate: string;
  AssumeRolePolicyDocument: { Statement: { Action: string }[] };
}

describe.skipIf(!cli.path)(`the AWS CLI v2 against gameday sim serve: IAM roles (${cli.why})`, () => {
  it('iam get-role, list-roles and list-role-tags describe the declared roles; a role that is not there is NoSuchEntity', async () => {
    const { Role } = await aws<{ Role: Role }>('iam', 'get-role', '--role-name', 'securecart-app');
    expect(Role).toMatchObject({ RoleName: 'securecart-app', Arn: 'arn:aws:iam::123456789012:role/securecart-app', Path: '/' });
    expect(Role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    // When the server declared it (sim serve's clock starts at the wall clock's time).
    expect(Number.isNaN(Date.parse(Role.CreateDate))).toBe(false);
    // The CLI decodes the URL-encoded trust policy IAM sends.
    expect(Role.AssumeRolePolicyDocument.Statement[0]!.Action).toBe('sts:AssumeRole');

    const { Roles } = await aws<{ Roles: Role[] }>('iam', 'list-roles');
    const names = Roles.map((r) => r.RoleName);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['gameday-runner', 'securecart-app']));
    expect(Roles.find((r) => r.RoleName === 'securecart-app')?.RoleId).toBe(Role.RoleId);

    const tags = await aws<{ Tags: unknown[]; IsTruncated: boolean }>('iam', 'list-role-tags', '--role-name', 'securecart-app');
    expect(tags).toEqual({ Tags: [], IsTruncated: false });

    const failed = await aws('iam', 'get-role', '--role-name', 'no-such-role').then(
      () => undefined,
      (error: { stderr?: string }) => error,
    );
    expect(failed?.stderr).toContain('An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name no-such-role cannot be found.');
  });
});
