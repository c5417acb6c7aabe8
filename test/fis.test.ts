import {
  ConflictException,
  CreateExperimentTemplateCommand,
  type CreateExperimentTemplateCommandInput,
  DeleteExperimentTemplateCommand,
  type Experiment,
  FisClient,
  FisServiceException,
  GetActionCommand,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  ListActionsCommand,
  ListExperimentTemplatesCommand,
  ListExperimentsCommand,
  ListTagsForResourceCommand,
  paginateListActions,
  paginateListExperiments,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  StartExperimentCommand,
  StopExperimentCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateExperimentTemplateCommand,
  ValidationException,
} from '@aws-sdk/client-fis';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { createCloudWatchModule, type CloudWatchModule } from '../src/sim/services/cloudwatch/index.js';
import { createFisModule, fisReasons, holdFor, parseIsoDuration, type FisModuleOptions } from '../src/sim/services/fis/index.js';
import { createNetworkModule, type NetworkModule } from '../src/sim/services/network/index.js';
import type { FisActionRun, ServiceModule, SimRequest, SimWorld, TargetableResource } from '../src/sim/types.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { MINUTE, SECOND } from './support/time.js';
import { ACCOUNT } from './support/sim.js';
import { rejection as rejectionOf } from './support/rejection.js';

const START = Date.UTC(2026, 0, 5);
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/fis-experiments`;

/**
 * Test scaffolding: a service whose resources FIS can target, with an action
 * that records what it was given (and can fail or hold on demand).
 */
interface Poke {
  at: number;
  targets: Record<string, string[]>;
  parameters: Record<string, string>;
}

function createWidgetModule(world: SimWorld, count: number): ServiceModule & { pokes: Poke[]; arn(i: number): string } {
  const arn = (i: number) => `arn:aws:widgets:us-east-1:${ACCOUNT}:widget/w${i}`;
  const widgets: (TargetableResource & { Color: string })[] = Array.from({ length: count }, (_, i) => ({
    arn: arn(i),
    type: 'test:widget',
    region: 'us-east-1',
    tags: { fleet: 'yes', tier: i % 2 === 1 ? 'odd' : 'even' },
    Color: i < 2 ? 'red' : 'blue',
  }));
  const pokes: Poke[] = [];
  return {
    name: 'widgets',
    pokes,
    arn,
    targetable: (type, region) => (type === 'test:widget' ? widgets.filter((w) => w.region === region) : []),
    fisActions: [
      {
        id: 'test:widget:poke',
        description: 'Poke widgets.',
        targets: { Widgets: 'test:widget' },
        parameters: {
          duration: { description: 'How long the poke lasts.', required: false },
          fail: { description: 'Fail with this message.', required: false },
        },
        start: async (run: FisActionRun) => {
          pokes.push({ at: world.clock.now(), targets: run.targets, parameters: run.parameters });
          if (run.parameters['fail']) throw new Error(run.parameters['fail']);
          const duration = run.parameters['duration'];
          if (duration) await holdFor(run, parseIsoDuration(duration)!);
        },
      },
    ],
  };
}

interface SetupOptions {
  seed?: number;
  fis?: FisModuleOptions;
  identities?: Record<string, string>;
}

interface Setup {
  clock: VirtualClock;
  sim: Simulator;
  fis: FisClient;
  west: FisClient;
  cloudwatch: CloudWatchModule;
  network: NetworkModule;
  widgets: ReturnType<typeof createWidgetModule>;
}

async function setupOver(via: TransportHarness, options: SetupOptions = {}): Promise<Setup> {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: options.seed ?? 42, services: [], ...(options.identities ? { identities: options.identities } : {}) });
  sim.world.register(createFisModule(sim.world, options.fis));
  const cloudwatch = sim.world.register(createCloudWatchModule(sim.world));
  const network = sim.world.register(createNetworkModule(sim.world));
  const widgets = sim.world.register(createWidgetModule(sim.world, 10));
  return {
    clock,
    sim,
    fis: new FisClient(await via.config(sim, clock, 'us-east-1')),
    west: new FisClient(await via.config(sim, clock, 'us-west-2')),
    cloudwatch,
    network,
    widgets,
  };
}

function waitTemplate(overrides: Partial<CreateExperimentTemplateCommandInput> = {}): CreateExperimentTemplateCommandInput {
  return {
    description: 'wait a little',
    roleArn: ROLE_ARN,
    stopConditions: [{ source: 'none' }],
    actions: { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT5M' } } },
    ...overrides,
  };
}

async function createTemplate(fis: FisClient, input: CreateExperimentTemplateCommandInput): Promise<string> {
  const out = await fis.send(new CreateExperimentTemplateCommand(input));
  return out.experimentTemplate!.id!;
}

async function start(fis: FisClient, templateId: string): Promise<string> {
  const out = await fis.send(new StartExperimentCommand({ experimentTemplateId: templateId }));
  return out.experiment!.id!;
}

async function get(fis: FisClient, id: string): Promise<Experiment> {
  return (await fis.send(new GetExperimentCommand({ id }))).experiment!;
}

/** Start an experiment and advance past initiating (at most 8 s); returns it once running. */
async function startRunning(s: Setup, templateId: string, fis = s.fis): Promise<Experiment> {
  const id = await start(fis, templateId);
  await s.clock.advance(8 * SECOND);
  const experiment = await get(fis, id);
  expect(experiment.state?.status).toBe('running');
  return experiment;
}

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, FisServiceException);

function since(experiment: Experiment, date: Date | undefined): number {
  return date!.getTime() - experiment.startTime!.getTime();
}

describe.each(transports)('FIS over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (options?: SetupOptions) => setupOver(via, options);

  describe('FIS experiment templates', () => {
    it('creates, gets, updates and deletes a template', async () => {
      const { fis, west } = await setup();
      const created = await fis.send(
        new CreateExperimentTemplateCommand(waitTemplate({ tags: { team: 'sre' }, experimentOptions: { emptyTargetResolutionMode: 'skip' } })),
      );
      const template = created.experimentTemplate!;
      expect(template.id).toMatch(/^EXT[A-Za-z0-9]{14}$/);
      expect(template.creationTime).toEqual(new Date(START));
      expect(template.actions?.['wait']).toEqual({ actionId: 'aws:fis:wait', parameters: { duration: 'PT5M' }, targets: {} });
      expect(template.experimentOptions).toEqual({ accountTargeting: 'single-account', emptyTargetResolutionMode: 'skip' });
      expect(template.tags).toEqual({ team: 'sre' });

      const fetched = await fis.send(new GetExperimentTemplateCommand({ id: template.id }));
      expect(fetched.experimentTemplate).toEqual(template);
      // Templates are regional.
      expect(await rejection(west.send(new GetExperimentTemplateCommand({ id: template.id })))).toBeInstanceOf(ResourceNotFoundException);

      const updated = await fis.send(
        new UpdateExperimentTemplateCommand({
          id: template.id,
          description: 'wait longer',
          actions: { longer: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1H30M' } } },
        }),
      );
      expect(updated.experimentTemplate?.description).toBe('wait longer');
      expect(Object.keys(updated.experimentTemplate?.actions ?? {})).toEqual(['longer']);
      expect(updated.experimentTemplate?.stopConditions).toEqual([{ source: 'none' }]);

      const deleted = await fis.send(new DeleteExperimentTemplateCommand({ id: template.id }));
      expect(deleted.experimentTemplate?.id).toBe(template.id);
      const gone = await rejection(fis.send(new GetExperimentTemplateCommand({ id: template.id })));
      expect(gone).toBeInstanceOf(ResourceNotFoundException);
      expect(gone.message).toContain(template.id!);
      expect(gone.$metadata.httpStatusCode).toBe(404);
    });

    it('lists templates page by page with nextToken', async () => {
      const { fis } = await setup();
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await createTemplate(fis, waitTemplate({ description: `t${i}` })));
      const first = await fis.send(new ListExperimentTemplatesCommand({ maxResults: 2 }));
      expect(first.experimentTemplates?.map((t) => t.id)).toEqual(ids.slice(0, 2));
      expect(first.nextToken).toBeTruthy();
      expect(first.experimentTemplates?.[0]?.creationTime).toBeInstanceOf(Date);
      const second = await fis.send(new ListExperimentTemplatesCommand({ maxResults: 2, nextToken: first.nextToken }));
      expect(second.experimentTemplates?.map((t) => t.id)).toEqual(ids.slice(2, 4));
      const last = await fis.send(new ListExperimentTemplatesCommand({ maxResults: 2, nextToken: second.nextToken }));
      expect(last.experimentTemplates?.map((t) => t.id)).toEqual(ids.slice(4));
      expect(last.nextToken).toBeUndefined();

      const bad = await rejection(fis.send(new ListExperimentTemplatesCommand({ nextToken: 'garbage' })));
      expect(bad).toBeInstanceOf(ValidationException);
      expect(await rejection(fis.send(new ListExperimentTemplatesCommand({ maxResults: 0 })))).toBeInstanceOf(ValidationException);
    });

    it('is idempotent on clientToken and refuses its reuse for different parameters with ConflictException', async () => {
      const { fis } = await setup();
      const a = await createTemplate(fis, waitTemplate({ clientToken: 'token-1' }));
      const b = await createTemplate(fis, waitTemplate({ clientToken: 'token-1' }));
      expect(b).toBe(a);
      const conflict = await rejection(fis.send(new CreateExperimentTemplateCommand(waitTemplate({ clientToken: 'token-1', description: 'other' }))));
      expect(conflict).toBeInstanceOf(ConflictException);
      expect(conflict.$metadata.httpStatusCode).toBe(409);
    });

    const invalid: [string, Partial<CreateExperimentTemplateCommandInput>, RegExp][] = [
      ['an unknown action id', { actions: { a: { actionId: 'aws:fis:nap', parameters: { duration: 'PT1M' } } } }, /action type "aws:fis:nap" does not exist/],
      [
        'a target key the action does not take',
        {
          targets: { Subnets: { resourceType: 'aws:ec2:subnet', resourceTags: { a: 'b' }, selectionMode: 'ALL' } },
          actions: { a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, targets: { Instances: 'Subnets' } } },
        },
        /does not take a target "Instances"/,
      ],
      [
        'a resource type mismatch',
        {
          targets: { Subnets: { resourceType: 'aws:ec2:subnet', resourceTags: { a: 'b' }, selectionMode: 'ALL' } },
          actions: {
            a: {
              actionId: 'aws:fis:inject-api-throttle-error',
              parameters: { service: 'fis', percentage: '100', duration: 'PT1M' },
              targets: { Roles: 'Subnets' },
            },
          },
        },
        /needs resource type aws:iam:role for Roles, but target "Subnets" has aws:ec2:subnet/,
      ],
      [
        'a target the template does not define',
        {
          actions: {
            a: { actionId: 'aws:network:disrupt-connectivity', parameters: { duration: 'PT1M' }, targets: { Subnets: 'Nowhere' } },
          },
        },
        /target "Nowhere", which is not defined/,
      ],
      ['missing stopConditions', { stopConditions: undefined }, /Value null at 'stopConditions'/],
      ['missing description', { description: undefined }, /Value null at 'description'/],
      ['an invalid ISO 8601 duration', { actions: { a: { actionId: 'aws:fis:wait', parameters: { duration: '5 minutes' } } } }, /duration "5 minutes" is not a valid ISO 8601 duration/],
      ['a missing required parameter', { actions: { a: { actionId: 'aws:fis:wait' } } }, /requires parameter "duration"/],
      ['an unknown parameter', { actions: { a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M', speed: 'fast' } } } }, /has no parameter "speed"/],
      [
        'a startAfter naming an unknown action',
        { actions: { a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['ghost'] } } },
        /startAfter "ghost", which is not an action/,
      ],
      [
        'a startAfter cycle',
        {
          actions: {
            a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['c'] },
            b: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['a'] },
            c: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['b'] },
          },
        },
        /cycle: a -> c -> b -> a/,
      ],
      [
        'an invalid selection mode',
        {
          targets: { W: { resourceType: 'test:widget', resourceTags: { fleet: 'yes' }, selectionMode: 'SOME' } },
          actions: { a: { actionId: 'test:widget:poke', targets: { Widgets: 'W' } } },
        },
        /selectionMode "SOME"/,
      ],
      ['an unsupported stop condition source', { stopConditions: [{ source: 'aws:sns:topic', value: 'x' }] }, /source "aws:sns:topic" is not supported/],
      ['a stop condition that is not an alarm ARN', { stopConditions: [{ source: 'aws:cloudwatch:alarm', value: 'orders-5xx' }] }, /not a CloudWatch alarm ARN/],
    ];

    it.each(invalid)('refuses %s with ValidationException', async (_, overrides, message) => {
      const { fis } = await setup();
      const error = await rejection(fis.send(new CreateExperimentTemplateCommand(waitTemplate(overrides))));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toMatch(message);
    });

    it('validates an update like a create', async () => {
      const { fis } = await setup();
      const id = await createTemplate(fis, waitTemplate());
      const error = await rejection(
        fis.send(new UpdateExperimentTemplateCommand({ id, actions: { a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT' } } } })),
      );
      expect(error).toBeInstanceOf(ValidationException);
      const unchanged = await fis.send(new GetExperimentTemplateCommand({ id }));
      expect(Object.keys(unchanged.experimentTemplate?.actions ?? {})).toEqual(['wait']);
    });

    it('tags and untags templates and experiments by ARN', async () => {
      const { fis, clock } = await setup();
      const id = await createTemplate(fis, waitTemplate({ tags: { team: 'sre' } }));
      const arn = `arn:aws:fis:us-east-1:${ACCOUNT}:experiment-template/${id}`;
      await fis.send(new TagResourceCommand({ resourceArn: arn, tags: { run: 'r-1', env: 'staging' } }));
      expect((await fis.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ team: 'sre', run: 'r-1', env: 'staging' });
      await fis.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team', 'env'] }));
      expect((await fis.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ run: 'r-1' });

      const experimentId = (await fis.send(new StartExperimentCommand({ experimentTemplateId: id, tags: { run: 'r-2' } }))).experiment!.id!;
      const experimentArn = `arn:aws:fis:us-east-1:${ACCOUNT}:experiment/${experimentId}`;
      expect((await fis.send(new ListTagsForResourceCommand({ resourceArn: experimentArn }))).tags).toEqual({ run: 'r-2' });
      await clock.advance(MINUTE);

      const unknown = await rejection(
        fis.send(new ListTagsForResourceCommand({ resourceArn: `arn:aws:fis:us-east-1:${ACCOUNT}:experiment-template/EXTnope` })),
      );
      expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('FIS actions', () => {
    it('describes an action with its targets and parameters', async () => {
      const { fis } = await setup();
      const { action } = await fis.send(new GetActionCommand({ id: 'aws:network:disrupt-connectivity' }));
      expect(action?.targets).toEqual({ Subnets: { resourceType: 'aws:ec2:subnet' } });
      expect(action?.parameters?.['duration']?.required).toBe(true);
      expect(action?.parameters?.['scope']?.required).toBe(false);
      const wait = await fis.send(new GetActionCommand({ id: 'aws:fis:wait' }));
      expect(wait.action?.targets).toEqual({});
      expect(await rejection(fis.send(new GetActionCommand({ id: 'aws:ec2:teleport' })))).toBeInstanceOf(ResourceNotFoundException);
    });

    it('lists every registered module’s actions, paginated', async () => {
      const { fis } = await setup();
      const ids: string[] = [];
      for await (const page of paginateListActions({ client: fis, pageSize: 3 }, {})) {
        expect(page.actions!.length).toBeLessThanOrEqual(3);
        ids.push(...page.actions!.map((a) => a.id!));
      }
      expect(ids).toEqual([
        'aws:cloudwatch:assert-alarm-state',
        'aws:fis:inject-api-internal-error',
        'aws:fis:inject-api-throttle-error',
        'aws:fis:inject-api-unavailable-error',
        'aws:fis:wait',
        'aws:network:disrupt-connectivity',
        'aws:network:route-table-disrupt-cross-region-connectivity',
        'aws:network:transit-gateway-disrupt-cross-region-connectivity',
        'gameday:sim:az-power-interruption',
        'gameday:sim:region-outage',
        'test:widget:poke',
      ]);
      const all = await fis.send(new ListActionsCommand({}));
      expect(all.nextToken).toBeUndefined();
      expect(all.actions?.find((a) => a.id === 'aws:fis:inject-api-throttle-error')?.targets).toEqual({ Roles: { resourceType: 'aws:iam:role' } });
    });
  });

  describe('FIS experiments on the virtual clock', () => {
    it('goes pending → initiating → running → completed, with times and reasons', async () => {
      const s = await setup();
      const { fis, clock } = s;
      const templateId = await createTemplate(fis, waitTemplate());
      const started = await fis.send(new StartExperimentCommand({ experimentTemplateId: templateId, tags: { run: 'r-1' } }));
      const id = started.experiment!.id!;
      expect(id).toMatch(/^EXP[A-Za-z0-9]{14}$/);
      expect(started.experiment?.state).toEqual({ status: 'pending', reason: fisReasons.experimentPending });
      expect(started.experiment?.actions?.['wait']?.state).toEqual({ status: 'pending', reason: 'Initial state' });
      expect(started.experiment?.creationTime).toEqual(new Date(START));
      expect(started.experiment?.tags).toEqual({ run: 'r-1' });

      await clock.advance(0);
      expect((await get(fis, id)).state?.status).toBe('initiating');
      await clock.advance(8 * SECOND);
      const running = await get(fis, id);
      expect(running.state).toEqual({ status: 'running', reason: fisReasons.experimentRunning });
      const initiating = running.startTime!.getTime() - START;
      expect(initiating).toBeGreaterThanOrEqual(2 * SECOND);
      expect(initiating).toBeLessThanOrEqual(8 * SECOND);
      expect(running.actions?.['wait']?.state?.status).toBe('running');
      expect(running.actions?.['wait']?.startTime).toEqual(running.startTime);

      await clock.runUntil(running.startTime!.getTime() + 5 * MINUTE - 1);
      expect((await get(fis, id)).state?.status).toBe('running');
      await clock.advance(1);
      const done = await get(fis, id);
      expect(done.state).toEqual({ status: 'completed', reason: fisReasons.experimentCompleted });
      expect(since(done, done.endTime)).toBe(5 * MINUTE);
      expect(done.actions?.['wait']?.state?.status).toBe('completed');
      expect(since(done, done.actions?.['wait']?.endTime)).toBe(5 * MINUTE);

      const states = s.sim.world.events.filter((e) => e.kind === 'fis.experiment.state').map((e) => e.detail['status']);
      expect(states).toEqual(['pending', 'initiating', 'running', 'completed']);
      const actionStates = s.sim.world.events.filter((e) => e.kind === 'fis.action.state').map((e) => e.detail['status']);
      expect(actionStates).toEqual(['initiating', 'running', 'completed']);
    });

    it('orders actions by startAfter: an action starts when all its predecessors completed', async () => {
      const s = await setup();
      const wait = (duration: string, startAfter?: string[]) => ({
        actionId: 'aws:fis:wait',
        parameters: { duration },
        ...(startAfter ? { startAfter } : {}),
      });
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          actions: {
            first: wait('PT1M'),
            parallel: wait('PT30S'),
            second: wait('PT2M', ['first']),
            last: wait('PT10S', ['second', 'parallel']),
          },
        }),
      );
      const running = await startRunning(s, templateId);
      expect(running.actions?.['second']?.state?.status).toBe('pending');
      expect(running.actions?.['last']?.startAfter).toEqual(['second', 'parallel']);
      await s.clock.advance(10 * MINUTE);
      const done = await get(s.fis, running.id!);
      expect(done.state?.status).toBe('completed');
      const window = (name: string) => [since(done, done.actions?.[name]?.startTime), since(done, done.actions?.[name]?.endTime)];
      expect(window('first')).toEqual([0, MINUTE]);
      expect(window('parallel')).toEqual([0, 30 * SECOND]);
      expect(window('second')).toEqual([MINUTE, 3 * MINUTE]);
      expect(window('last')).toEqual([3 * MINUTE, 3 * MINUTE + 10 * SECOND]);
      expect(since(done, done.endTime)).toBe(3 * MINUTE + 10 * SECOND);
    });

    it('runs to completion under a polling actor, the clock advancing whenever the actor sleeps', async () => {
      const s = await setup();
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          actions: {
            a: { actionId: 'aws:fis:wait', parameters: { duration: 'PT90S' } },
            b: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1H' }, startAfter: ['a'] },
          },
        }),
      );
      const seen = await s.clock.run('game day', async () => {
        const id = await start(s.fis, templateId);
        const statuses: string[] = [];
        for (;;) {
          const experiment = await get(s.fis, id);
          const status = experiment.state!.status!;
          if (statuses.at(-1) !== status) statuses.push(status);
          if (['completed', 'stopped', 'failed'].includes(status)) return { statuses, experiment };
          await s.clock.sleep(30 * SECOND, 'polling the experiment');
        }
      });
      // Whether a poll lands in initiating depends on the drawn initiating time.
      expect(seen.statuses[0]).toBe('pending');
      expect(seen.statuses.slice(-2)).toEqual(['running', 'completed']);
      expect(since(seen.experiment, seen.experiment.endTime)).toBe(61.5 * MINUTE);
    });

    it('accepts ISO 8601 durations in hours, minutes and seconds', () => {
      expect(parseIsoDuration('PT5M')).toBe(5 * MINUTE);
      expect(parseIsoDuration('PT1H30M')).toBe(90 * MINUTE);
      expect(parseIsoDuration('PT90S')).toBe(90 * SECOND);
      expect(parseIsoDuration('PT1.5S')).toBe(1500);
      expect(parseIsoDuration('P1D')).toBe(24 * 60 * MINUTE);
      for (const bad of ['P', 'PT', '5M', 'PT5', 'pt5m', 'PT-5M', '']) expect(parseIsoDuration(bad)).toBeUndefined();
    });

    it('stops on request: running actions stop, pending ones are cancelled', async () => {
      const s = await setup();
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          actions: {
            long: { actionId: 'aws:fis:wait', parameters: { duration: 'PT10M' } },
            after: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['long'] },
          },
        }),
      );
      const running = await startRunning(s, templateId);
      await s.clock.advance(MINUTE);
      const stopping = await s.fis.send(new StopExperimentCommand({ id: running.id }));
      expect(stopping.experiment?.state?.status).toBe('stopping');
      expect(stopping.experiment?.actions?.['long']?.state?.status).toBe('stopping');
      expect(stopping.experiment?.actions?.['after']?.state?.status).toBe('cancelled');

      const stopped = await get(s.fis, running.id!);
      expect(stopped.state).toEqual({ status: 'stopped', reason: fisReasons.stoppedByUser });
      expect(stopped.actions?.['long']?.state?.status).toBe('stopped');
      expect(stopped.actions?.['after']?.state?.status).toBe('cancelled');
      expect(stopped.endTime).toEqual(new Date(s.clock.now()));

      const again = await rejection(s.fis.send(new StopExperimentCommand({ id: running.id })));
      expect(again).toBeInstanceOf(ValidationException);
      expect(await rejection(s.fis.send(new StopExperimentCommand({ id: 'EXPnope' })))).toBeInstanceOf(ResourceNotFoundException);
    });

    it('stops an experiment still initiating without running anything', async () => {
      const s = await setup();
      const id = await start(s.fis, await createTemplate(s.fis, waitTemplate()));
      await s.clock.advance(0);
      await s.fis.send(new StopExperimentCommand({ id }));
      const stopped = await get(s.fis, id);
      expect(stopped.state?.status).toBe('stopped');
      expect(stopped.actions?.['wait']?.state?.status).toBe('cancelled');
      expect(stopped.startTime).toBeUndefined();
      await s.clock.advance(10 * MINUTE);
      expect((await get(s.fis, id)).state?.status).toBe('stopped');
    });

    it('lists experiments with pagination', async () => {
      const s = await setup();
      const templateId = await createTemplate(s.fis, waitTemplate());
      const ids = [await start(s.fis, templateId), await start(s.fis, templateId), await start(s.fis, templateId)];
      const seen: string[] = [];
      for await (const page of paginateListExperiments({ client: s.fis, pageSize: 2 }, {})) {
        seen.push(...page.experiments!.map((e) => e.id!));
        for (const e of page.experiments!) {
          expect(e.experimentTemplateId).toBe(templateId);
          expect(e.state?.status).toBe('pending');
          expect(e.creationTime).toEqual(new Date(START));
        }
      }
      expect(seen).toEqual(ids);
      const first = await s.fis.send(new ListExperimentsCommand({ maxResults: 1 }));
      expect(first.experiments).toHaveLength(1);
      expect(first.nextToken).toBeTruthy();
      expect((await s.west.send(new ListExperimentsCommand({}))).experiments).toEqual([]);
    });

    it('refuses to start more experiments than the quota with ServiceQuotaExceededException', async () => {
      const s = await setup({ fis: { quotas: { activeExperiments: 1 } } });
      const templateId = await createTemplate(s.fis, waitTemplate());
      await start(s.fis, templateId);
      const error = await rejection(s.fis.send(new StartExperimentCommand({ experimentTemplateId: templateId })));
      expect(error).toBeInstanceOf(ServiceQuotaExceededException);
      expect(error.$metadata.httpStatusCode).toBe(402);
      expect(await rejection(s.fis.send(new StartExperimentCommand({ experimentTemplateId: 'EXTnope' })))).toBeInstanceOf(
        ResourceNotFoundException,
      );
    });

    it('fails the experiment when an action fails, stopping the others', async () => {
      const s = await setup();
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          targets: { W: { resourceType: 'test:widget', resourceArns: [s.widgets.arn(0)], selectionMode: 'ALL' } },
          actions: {
            hold: { actionId: 'aws:fis:wait', parameters: { duration: 'PT10M' } },
            later: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['poke'] },
            waitFirst: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } },
            poke: { actionId: 'test:widget:poke', targets: { Widgets: 'W' }, parameters: { fail: 'widget jammed' }, startAfter: ['waitFirst'] },
          },
        }),
      );
      const running = await startRunning(s, templateId);
      await s.clock.advance(2 * MINUTE);
      const failed = await get(s.fis, running.id!);
      expect(failed.state).toEqual({ status: 'failed', reason: 'Action "poke" failed: widget jammed' });
      expect(failed.actions?.['poke']?.state).toEqual({ status: 'failed', reason: 'widget jammed' });
      expect(failed.actions?.['hold']?.state?.status).toBe('stopped');
      expect(failed.actions?.['later']?.state?.status).toBe('cancelled');
      expect(since(failed, failed.endTime)).toBe(MINUTE);
    });
  });

  describe('FIS targets', () => {
    it('resolves targets by ARN, tags and filters with ALL, COUNT(n) and PERCENT(n)', async () => {
      const s = await setup();
      const poke = (target: string) => ({ actionId: 'test:widget:poke', targets: { Widgets: target } });
      const input = waitTemplate({
          targets: {
            all: { resourceType: 'test:widget', resourceTags: { fleet: 'yes' }, selectionMode: 'ALL' },
            count: { resourceType: 'test:widget', resourceTags: { fleet: 'yes' }, selectionMode: 'COUNT(3)' },
            percent: { resourceType: 'test:widget', resourceTags: { fleet: 'yes' }, selectionMode: 'PERCENT(25)' },
            arns: { resourceType: 'test:widget', resourceArns: [s.widgets.arn(4), s.widgets.arn(1)], selectionMode: 'ALL' },
            odd: { resourceType: 'test:widget', resourceTags: { tier: 'odd' }, selectionMode: 'ALL' },
            red: {
              resourceType: 'test:widget',
              resourceTags: { fleet: 'yes' },
              filters: [{ path: 'Color', values: ['red'] }],
              selectionMode: 'ALL',
            },
          },
          actions: {
            all: poke('all'),
            count: poke('count'),
            percent: poke('percent'),
            arns: poke('arns'),
            odd: poke('odd'),
            red: poke('red'),
          },
        });
      const id = await start(s.fis, await createTemplate(s.fis, input));
      await s.clock.advance(MINUTE);
      expect((await get(s.fis, id)).state?.status).toBe('completed');
      const picked = (i: number) => s.widgets.pokes[i]!.targets['Widgets']!;
      const everyWidget = Array.from({ length: 10 }, (_, i) => s.widgets.arn(i));
      expect(s.widgets.pokes).toHaveLength(6);
      expect(picked(0)).toEqual(everyWidget);
      expect(picked(1)).toHaveLength(3);
      expect(everyWidget).toEqual(expect.arrayContaining(picked(1)));
      expect(picked(2)).toHaveLength(3); // 25% of 10, rounded up
      expect(picked(3)).toEqual([s.widgets.arn(4), s.widgets.arn(1)]);
      expect(picked(4)).toEqual([1, 3, 5, 7, 9].map(s.widgets.arn));
      expect(picked(5)).toEqual([s.widgets.arn(0), s.widgets.arn(1)]);

      // The seeded RNG chooses: the same seed picks the same widgets.
      const again = await setup();
      await start(again.fis, await createTemplate(again.fis, input));
      await again.clock.advance(MINUTE);
      expect(again.widgets.pokes[1]!.targets).toEqual(s.widgets.pokes[1]!.targets);
    });

    it('fails the experiment when a target matches nothing', async () => {
      const s = await setup();
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          targets: { none: { resourceType: 'test:widget', resourceTags: { tier: 'platinum' }, selectionMode: 'ALL' } },
          actions: { poke: { actionId: 'test:widget:poke', targets: { Widgets: 'none' } } },
        }),
      );
      const id = await start(s.fis, templateId);
      await s.clock.advance(MINUTE);
      const failed = await get(s.fis, id);
      expect(failed.state).toEqual({ status: 'failed', reason: fisReasons.noTargets('none') });
      expect(failed.actions?.['poke']?.state?.status).toBe('cancelled');
      expect(s.widgets.pokes).toHaveLength(0);
    });

    it('skips the actions of an empty target when emptyTargetResolutionMode is skip', async () => {
      const s = await setup();
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          experimentOptions: { emptyTargetResolutionMode: 'skip' },
          targets: { none: { resourceType: 'test:widget', resourceTags: { tier: 'platinum' }, selectionMode: 'ALL' } },
          actions: {
            poke: { actionId: 'test:widget:poke', targets: { Widgets: 'none' } },
            then: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['poke'] },
          },
        }),
      );
      const running = await startRunning(s, templateId);
      await s.clock.advance(2 * MINUTE);
      const done = await get(s.fis, running.id!);
      expect(done.state?.status).toBe('completed');
      expect(done.actions?.['poke']?.state?.status).toBe('skipped');
      expect(done.actions?.['then']?.state?.status).toBe('completed');
    });
  });

  describe('FIS stop conditions', () => {
    async function alarmTemplate(s: Setup, alarmArn: string): Promise<string> {
      return createTemplate(
        s.fis,
        waitTemplate({
          stopConditions: [{ source: 'aws:cloudwatch:alarm', value: alarmArn }],
          actions: {
            outage: { actionId: 'gameday:sim:region-outage', parameters: { region: 'us-west-2', duration: 'PT30M' } },
            after: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['outage'] },
          },
        }),
      );
    }

    it('halts a running experiment when its alarm goes to ALARM, and rolls its fault back', async () => {
      const s = await setup();
      const alarmArn = s.cloudwatch.putAlarm({ region: 'us-east-1', name: 'orders-5xx' });
      expect(alarmArn).toBe(`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:orders-5xx`);
      const running = await startRunning(s, await alarmTemplate(s, alarmArn));
      await s.clock.advance(5 * MINUTE);
      expect(s.sim.world.faults.isRegionUp('us-west-2')).toBe(false);
      // A change to another state, or of another alarm, does not stop it.
      s.cloudwatch.setAlarmState(alarmArn, 'INSUFFICIENT_DATA', 'no data');
      s.cloudwatch.putAlarm({ region: 'us-east-1', name: 'unrelated', state: 'ALARM' });
      await s.clock.advance(MINUTE);
      expect((await get(s.fis, running.id!)).state?.status).toBe('running');

      s.cloudwatch.setAlarmState('orders-5xx', 'ALARM', 'Threshold crossed: 5xx > 1%');
      const stopped = await get(s.fis, running.id!);
      expect(stopped.state).toEqual({ status: 'stopped', reason: fisReasons.stoppedByCondition(alarmArn) });
      expect(stopped.state?.reason).toContain(alarmArn);
      expect(stopped.actions?.['outage']?.state?.status).toBe('stopped');
      expect(stopped.actions?.['after']?.state?.status).toBe('cancelled');
      expect(stopped.endTime).toEqual(new Date(s.clock.now()));
      expect(s.sim.world.faults.isRegionUp('us-west-2')).toBe(true);
      const experimentStates = s.sim.world.events.filter((e) => e.kind === 'fis.experiment.state').map((e) => e.detail['status']);
      expect(experimentStates.slice(-2)).toEqual(['stopping', 'stopped']);
    });

    it('fails to start when its alarm is already in ALARM', async () => {
      const s = await setup();
      const alarmArn = s.cloudwatch.putAlarm({ region: 'us-east-1', name: 'orders-5xx' });
      const templateId = await alarmTemplate(s, alarmArn);
      s.cloudwatch.setAlarmState(alarmArn, 'ALARM', 'already burning');
      const id = await start(s.fis, templateId);
      await s.clock.advance(MINUTE);
      const failed = await get(s.fis, id);
      expect(failed.state).toEqual({ status: 'failed', reason: fisReasons.alarmInAlarmAtStart(alarmArn) });
      expect(failed.actions?.['outage']?.state?.status).toBe('cancelled');
      expect(s.sim.world.faults.isRegionUp('us-west-2')).toBe(true);
      expect(s.sim.world.events.some((e) => e.kind === 'region.down')).toBe(false);
    });

    it('fails to start when its alarm does not exist', async () => {
      const s = await setup();
      const templateId = await alarmTemplate(s, `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:missing`);
      const id = await start(s.fis, templateId);
      await s.clock.advance(MINUTE);
      expect((await get(s.fis, id)).state?.reason).toMatch(/alarm .*missing does not exist/);
    });
  });

  describe('FIS fault actions', () => {
    it('injects API errors into the target role’s calls for the duration', async () => {
      const s = await setup({ identities: { AKIAAUDITOR000000000: 'auditor' } });
      const runnerRole = s.network.addRole('gameday-runner');
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          targets: { Runner: { resourceType: 'aws:iam:role', resourceArns: [runnerRole], selectionMode: 'ALL' } },
          actions: {
            throttle: {
              actionId: 'aws:fis:inject-api-throttle-error',
              targets: { Roles: 'Runner' },
              parameters: { service: 'fis', operations: 'ListExperimentTemplates,GetExperimentTemplate', percentage: '100', duration: 'PT2M' },
            },
          },
        }),
      );
      const running = await startRunning(s, templateId);
      const throttled = await rejection(s.fis.send(new ListExperimentTemplatesCommand({})));
      expect(throttled.name).toBe('ThrottlingException');
      expect(throttled.$metadata.httpStatusCode).toBe(400);
      // Other operations, and other roles, are not affected.
      expect((await get(s.fis, running.id!)).state?.status).toBe('running');
      const auditor = new FisClient(await via.config(s.sim, s.clock, 'us-east-1', 'AKIAAUDITOR000000000'));
      expect((await auditor.send(new ListExperimentTemplatesCommand({}))).experimentTemplates).toHaveLength(1);
      expect(s.sim.world.audit.filter((r) => r.errorCode === 'ThrottlingException').map((r) => [r.eventName, r.identity.role])).toEqual([
        ['ListExperimentTemplates', 'gameday-runner'],
      ]);

      await s.clock.advance(2 * MINUTE);
      expect((await s.fis.send(new ListExperimentTemplatesCommand({}))).experimentTemplates).toHaveLength(1);
      expect((await get(s.fis, running.id!)).state?.status).toBe('completed');
      expect(s.sim.world.faults.apiErrorInjections()).toHaveLength(0);
    });

    it.each([
      ['aws:fis:inject-api-internal-error', 'InternalFailure', 500],
      ['aws:fis:inject-api-unavailable-error', 'ServiceUnavailable', 503],
    ])('%s makes calls fail with %s (%i) until stopped', async (actionId, name, status) => {
      const s = await setup();
      const runnerRole = s.network.addRole('gameday-runner');
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          targets: { Runner: { resourceType: 'aws:iam:role', resourceArns: [runnerRole], selectionMode: 'ALL' } },
          actions: { inject: { actionId, targets: { Roles: 'Runner' }, parameters: { service: 'fis', operations: 'ListActions', percentage: '100', duration: 'PT1H' } } },
        }),
      );
      const running = await startRunning(s, templateId);
      const error = await rejection(s.fis.send(new ListActionsCommand({})));
      expect(error.name).toBe(name);
      expect(error.$metadata.httpStatusCode).toBe(status);
      await s.fis.send(new StopExperimentCommand({ id: running.id }));
      expect((await get(s.fis, running.id!)).state?.status).toBe('stopped');
      expect((await s.fis.send(new ListActionsCommand({}))).actions?.length).toBeGreaterThan(0);
    });

    it('takes a region down for the duration while FIS itself keeps answering', async () => {
      const s = await setup();
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({ actions: { outage: { actionId: 'gameday:sim:region-outage', parameters: { duration: 'PT10M' } } } }),
      );
      const running = await startRunning(s, templateId);
      expect(s.sim.world.faults.isRegionUp('us-east-1')).toBe(false);
      // The experiment that took the region out stays observable.
      expect((await get(s.fis, running.id!)).actions?.['outage']?.state?.status).toBe('running');
      await s.clock.runUntil(running.startTime!.getTime() + 10 * MINUTE);
      expect(s.sim.world.faults.isRegionUp('us-east-1')).toBe(true);
      expect((await get(s.fis, running.id!)).state?.status).toBe('completed');
      const regionEvents = s.sim.world.events.filter((e) => e.kind.startsWith('region.'));
      expect(regionEvents.map((e) => [e.kind, e.at - running.startTime!.getTime()])).toEqual([
        ['region.down', 0],
        ['region.restored', 10 * MINUTE],
      ]);
    });

    it('rolls a region outage back when the experiment is stopped', async () => {
      const s = await setup();
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({ actions: { outage: { actionId: 'gameday:sim:region-outage', parameters: { region: 'us-east-1', duration: 'PT2H' } } } }),
      );
      const running = await startRunning(s, templateId);
      await s.clock.advance(3 * MINUTE);
      expect(s.sim.world.faults.isRegionUp('us-east-1')).toBe(false);
      await s.fis.send(new StopExperimentCommand({ id: running.id }));
      expect(s.sim.world.faults.isRegionUp('us-east-1')).toBe(true);
      const stopped = await get(s.fis, running.id!);
      expect(stopped.state?.status).toBe('stopped');
      expect(stopped.actions?.['outage']?.state?.status).toBe('stopped');
    });

    it('keeps a region down until the last of two overlapping outages ends', async () => {
      const s = await setup();
      const outage = (duration: string) =>
        createTemplate(s.fis, waitTemplate({ actions: { outage: { actionId: 'gameday:sim:region-outage', parameters: { region: 'eu-west-1', duration } } } }));
      const short = await outage('PT5M');
      const long = await outage('PT20M');
      await startRunning(s, short);
      await startRunning(s, long);
      await s.clock.advance(10 * MINUTE);
      expect(s.sim.world.faults.isRegionUp('eu-west-1')).toBe(false);
      await s.clock.advance(20 * MINUTE);
      expect(s.sim.world.faults.isRegionUp('eu-west-1')).toBe(true);
    });

    it('leaves a region that was already down as it found it', async () => {
      const s = await setup();
      s.sim.world.faults.setRegionUp('us-west-2', false, 'taken down by hand');
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({ actions: { outage: { actionId: 'gameday:sim:region-outage', parameters: { region: 'us-west-2', duration: 'PT5M' } } } }),
      );
      await startRunning(s, templateId);
      await s.clock.advance(10 * MINUTE);
      expect(s.sim.world.faults.isRegionUp('us-west-2')).toBe(false);
    });

    it('disrupts the connectivity of the targeted subnets for the duration', async () => {
      const s = await setup();
      s.network.addSubnet({ id: 'subnet-db-a', region: 'us-east-1', az: 'us-east-1a', tags: { tier: 'db' } });
      s.network.addSubnet({ id: 'subnet-db-b', region: 'us-east-1', az: 'us-east-1b', tags: { tier: 'db' } });
      s.network.addSubnet({ id: 'subnet-web-a', region: 'us-east-1', az: 'us-east-1a', tags: { tier: 'web' } });
      s.network.addSubnet({ id: 'subnet-db-west', region: 'us-west-2', az: 'us-west-2a', tags: { tier: 'db' } });
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          targets: {
            DbSubnetsInAzA: {
              resourceType: 'aws:ec2:subnet',
              resourceTags: { tier: 'db' },
              filters: [{ path: 'AvailabilityZone', values: ['us-east-1a', 'us-east-1b'] }],
              selectionMode: 'ALL',
            },
          },
          actions: {
            cut: {
              actionId: 'aws:network:disrupt-connectivity',
              targets: { Subnets: 'DbSubnetsInAzA' },
              parameters: { duration: 'PT5M', scope: 'all' },
            },
          },
        }),
      );
      const running = await startRunning(s, templateId);
      const { faults } = s.sim.world;
      expect([faults.isSubnetUp('subnet-db-a'), faults.isSubnetUp('subnet-db-b'), faults.isSubnetUp('subnet-web-a'), faults.isSubnetUp('subnet-db-west')]).toEqual([
        false,
        false,
        true,
        true,
      ]);
      await s.clock.advance(5 * MINUTE);
      expect(faults.isSubnetUp('subnet-db-a') && faults.isSubnetUp('subnet-db-b')).toBe(true);
      expect((await get(s.fis, running.id!)).state?.status).toBe('completed');
    });

    it('fails the action on a scope the action does not know', async () => {
      const s = await setup();
      s.network.addSubnet({ id: 'subnet-1', region: 'us-east-1', az: 'us-east-1a' });
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          targets: { S: { resourceType: 'aws:ec2:subnet', resourceArns: [`arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-1`], selectionMode: 'ALL' } },
          actions: { cut: { actionId: 'aws:network:disrupt-connectivity', targets: { Subnets: 'S' }, parameters: { duration: 'PT5M', scope: 'everything' } } },
        }),
      );
      const id = await start(s.fis, templateId);
      await s.clock.advance(MINUTE);
      const experiment = await get(s.fis, id);
      expect(experiment.state?.status).toBe('failed');
      expect(experiment.state?.reason).toMatch(/scope "everything"/);
      expect(s.sim.world.faults.isSubnetUp('subnet-1')).toBe(true);
    });

    it('cuts the link between the subnets’ region and another region', async () => {
      const s = await setup();
      const subnet = s.network.addSubnet({ id: 'subnet-app', region: 'us-east-1', az: 'us-east-1a' });
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          targets: { App: { resourceType: 'aws:ec2:subnet', resourceArns: [subnet], selectionMode: 'ALL' } },
          actions: {
            isolate: {
              actionId: 'aws:network:route-table-disrupt-cross-region-connectivity',
              targets: { Subnets: 'App' },
              parameters: { region: 'us-west-2', duration: 'PT15M' },
            },
          },
        }),
      );
      await startRunning(s, templateId);
      const { faults } = s.sim.world;
      expect(faults.isLinkUp('us-east-1', 'us-west-2')).toBe(false);
      expect(faults.isLinkUp('us-east-1', 'eu-west-1')).toBe(true);
      expect(faults.isRegionUp('us-east-1') && faults.isRegionUp('us-west-2')).toBe(true);
      await s.clock.advance(15 * MINUTE);
      expect(faults.isLinkUp('us-west-2', 'us-east-1')).toBe(true);
    });
  });

  describe('FIS on the wire', () => {
    function signed(method: string, path: string, body = ''): SimRequest {
      return {
        method,
        path,
        query: {},
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIAGAMEDAYRUNNER000/20260105/us-east-1/fis/aws4_request, SignedHeaders=host, Signature=00',
          'content-type': 'application/json',
        },
        body: Buffer.from(body),
      };
    }

    it('answers an unknown route with UnknownOperationException (404)', async () => {
      const { sim, clock } = await setup();
      const response = await via.send(sim, clock, signed('GET', '/experimentTemplates/EXT1/nothing'));
      expect(response.statusCode).toBe(404);
      expect(response.headers['x-amzn-ErrorType']).toBe('UnknownOperationException');
    });

    it('answers malformed JSON with SerializationException (400)', async () => {
      const { sim, clock } = await setup();
      const response = await via.send(sim, clock, signed('POST', '/experimentTemplates', '{"description":'));
      expect(response.statusCode).toBe(400);
      expect(response.headers['x-amzn-ErrorType']).toBe('SerializationException');
      expect(JSON.parse(String(response.body)).message).toMatch(/not valid JSON/);
    });

    it('records every call in the audit trail', async () => {
      const s = await setup();
      const id = await createTemplate(s.fis, waitTemplate());
      await rejection(s.fis.send(new GetExperimentTemplateCommand({ id: 'EXTnope' })));
      const [create, get] = s.sim.world.audit;
      expect(create).toMatchObject({
        eventSource: 'fis.amazonaws.com',
        eventName: 'CreateExperimentTemplate',
        awsRegion: 'us-east-1',
        readOnly: false,
        resources: [{ type: 'AWS::FIS::ExperimentTemplate', name: id }],
      });
      expect(get).toMatchObject({ eventName: 'GetExperimentTemplate', readOnly: true, errorCode: 'ResourceNotFoundException' });
    });
  });

  describe('FIS determinism', () => {
    async function scenario(seed: number): Promise<unknown[]> {
      const s = await setup({ seed });
      const templateId = await createTemplate(
        s.fis,
        waitTemplate({
          targets: { some: { resourceType: 'test:widget', resourceTags: { fleet: 'yes' }, selectionMode: 'PERCENT(30)' } },
          actions: {
            poke: { actionId: 'test:widget:poke', targets: { Widgets: 'some' }, parameters: { duration: 'PT2M' } },
            wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['poke'] },
          },
        }),
      );
      await start(s.fis, templateId);
      await s.clock.advance(10 * MINUTE);
      return [...s.sim.world.events, ...s.widgets.pokes];
    }

    it('gives the same seed the same ids, timings and choices', async () => {
      const a = await scenario(7);
      const b = await scenario(7);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      const c = await scenario(8);
      expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
    });
  });
});
