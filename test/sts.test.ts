import { GetAccessKeyInfoCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, SIM_RUNNER_KEY } from '../src/sim/index.js';
import { createStsModule } from '../src/sim/services/sts/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { clientConfigs } from './support/transport-extra.js';
import { ACCOUNT } from './support/sim.js';

const INTRUDER = 'AKIAINTRUDER00000001';
const ADMIN = 'AKIABACKUPADMIN00001';

async function setupOver(via: TransportHarness, options: { accountId?: string } = {}) {
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 5, 9) });
  const sim = createSimulator({
    clock,
    seed: 42,
    services: [createStsModule],
    identities: { [INTRUDER]: 'intruder', [ADMIN]: 'backup-admin' },
    ...options,
  });
  const configs = clientConfigs(via);
  await configs.prepare(sim, clock);
  const sts = (key?: string, region = 'us-east-1') => new STSClient(configs.config(sim, region, key));
  return { clock, sim, sts };
}

describe.each(transports)('STS over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (options?: { accountId?: string }) => setupOver(via, options);

  describe('STS GetCallerIdentity', () => {
    it('names the role session each access key acts as', async () => {
      const { sts } = await setup();
      const intruder = await sts(INTRUDER).send(new GetCallerIdentityCommand({}));
      expect(intruder).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/intruder/gameday` });
      expect(intruder.UserId).toMatch(/^AROA[A-Z2-7]{17}:gameday$/);

      const admin = await sts(ADMIN).send(new GetCallerIdentityCommand({}));
      expect(admin.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/backup-admin/gameday`);
      expect(admin.UserId).not.toBe(intruder.UserId);
    });

    it('answers for an unknown key as the game-day runner, the same in every region', async () => {
      const { sts } = await setup();
      const runner = await sts(SIM_RUNNER_KEY).send(new GetCallerIdentityCommand({}));
      const stranger = await sts('AKIANOBODYKNOWSME000', 'eu-west-1').send(new GetCallerIdentityCommand({}));
      expect(runner.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/gameday-runner/gameday`);
      expect(stranger.Arn).toBe(runner.Arn);
      expect(stranger.UserId).toBe(runner.UserId);
    });

    it('keeps role ids stable for a seed, and reports the configured account', async () => {
      const first = await (await setup()).sts(INTRUDER).send(new GetCallerIdentityCommand({}));
      const again = await (await setup()).sts(INTRUDER).send(new GetCallerIdentityCommand({}));
      expect(again.UserId).toBe(first.UserId);
      const other = await (await setup({ accountId: '210987654321' })).sts(INTRUDER).send(new GetCallerIdentityCommand({}));
      expect(other.Account).toBe('210987654321');
      expect(other.Arn).toBe('arn:aws:sts::210987654321:assumed-role/intruder/gameday');
    });

    it('answers GetAccessKeyInfo with the account, and records calls in the audit trail', async () => {
      const { sts, sim } = await setup();
      expect((await sts().send(new GetAccessKeyInfoCommand({ AccessKeyId: INTRUDER }))).Account).toBe(ACCOUNT);
      await sts(INTRUDER).send(new GetCallerIdentityCommand({}));
      expect(sim.world.audit.map((r) => [r.eventSource, r.eventName, r.identity.role, r.readOnly])).toEqual([
        ['sts.amazonaws.com', 'GetAccessKeyInfo', 'gameday-runner', true],
        ['sts.amazonaws.com', 'GetCallerIdentity', 'intruder', true],
      ]);
    });

    it('refuses a missing parameter and an unknown action the awsQuery way', async () => {
      const { sts } = await setup();
      const missing = await sts().send(new GetAccessKeyInfoCommand({} as never)).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(STSServiceException);
      expect(missing).toMatchObject({ name: 'MissingParameter', $metadata: { httpStatusCode: 400 } });

      const fresh = await setup();
      const response = await via.send(fresh.sim, fresh.clock, {
        method: 'POST',
        path: '/',
        query: {},
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIAX/20260105/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: Buffer.from('Action=AssumeRoot&Version=2011-06-15'),
      });
      expect(response.statusCode).toBe(400);
      expect(String(response.body)).toContain('<Code>InvalidAction</Code>');
    });
  });
});
