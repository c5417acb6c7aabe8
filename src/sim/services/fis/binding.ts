import { member, RestJsonCodec, type JsonObject, type RestJsonInput, type WireValue } from '../../protocols/rest-json.js';
import type { CallContext, FisActionDefinition, InvokeResult, ServiceBinding } from '../../types.js';
import type { FisModel } from './model.js';
import type {
  Experiment,
  ExperimentTemplate,
  LogConfiguration,
  StopCondition,
  TemplateAction,
  TemplateTarget,
} from './types.js';
import { missing } from './validation.js';

/**
 * FIS on the wire (restJson1): one row per operation, each reading its input
 * from the decoded request, calling the model and shaping the output.
 */

type Wire = { [key: string]: WireValue };

interface FisOperation {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  call(fis: FisModel, input: RestJsonInput, ctx: CallContext): { output: Wire; resources?: { type: string; name: string }[] };
}

const TEMPLATE = 'AWS::FIS::ExperimentTemplate';
const EXPERIMENT = 'AWS::FIS::Experiment';

const operations: FisOperation[] = [
  {
    name: 'CreateExperimentTemplate',
    method: 'POST',
    path: '/experimentTemplates',
    call: (fis, input, ctx) => {
      const b = input.body;
      const template = fis.createTemplate(ctx, {
        clientToken: member.string(b, 'clientToken'),
        description: member.string(b, 'description'),
        targets: member.objectMap(b, 'targets', readTarget),
        actions: member.objectMap(b, 'actions', readAction),
        stopConditions: member.objectList(b, 'stopConditions', readStopCondition),
        roleArn: member.string(b, 'roleArn'),
        tags: member.stringMap(b, 'tags'),
        experimentOptions: readExperimentOptions(b),
        logConfiguration: readOptionalLogConfiguration(b),
      });
      return { output: { experimentTemplate: templateOut(template) }, resources: [{ type: TEMPLATE, name: template.id }] };
    },
  },
  {
    name: 'GetExperimentTemplate',
    method: 'GET',
    path: '/experimentTemplates/{id}',
    call: (fis, input, ctx) => {
      const template = fis.getTemplate(ctx, input.label('id'));
      return { output: { experimentTemplate: templateOut(template) }, resources: [{ type: TEMPLATE, name: template.id }] };
    },
  },
  {
    name: 'ListExperimentTemplates',
    method: 'GET',
    path: '/experimentTemplates',
    call: (fis, input, ctx) => {
      const page = fis.listTemplates(ctx, pageOf(input));
      return { output: { experimentTemplates: page.items.map(templateSummaryOut), nextToken: page.nextToken } };
    },
  },
  {
    name: 'UpdateExperimentTemplate',
    method: 'PATCH',
    path: '/experimentTemplates/{id}',
    call: (fis, input, ctx) => {
      const b = input.body;
      const template = fis.updateTemplate(ctx, input.label('id'), {
        description: member.string(b, 'description'),
        targets: member.objectMap(b, 'targets', readTarget),
        actions: member.objectMap(b, 'actions', readAction),
        stopConditions: member.objectList(b, 'stopConditions', readStopCondition),
        roleArn: member.string(b, 'roleArn'),
        experimentOptions: readExperimentOptions(b),
        logConfiguration: readOptionalLogConfiguration(b),
      });
      return { output: { experimentTemplate: templateOut(template) }, resources: [{ type: TEMPLATE, name: template.id }] };
    },
  },
  {
    name: 'DeleteExperimentTemplate',
    method: 'DELETE',
    path: '/experimentTemplates/{id}',
    call: (fis, input, ctx) => {
      const template = fis.deleteTemplate(ctx, input.label('id'));
      return { output: { experimentTemplate: templateOut(template) }, resources: [{ type: TEMPLATE, name: template.id }] };
    },
  },
  {
    name: 'StartExperiment',
    method: 'POST',
    path: '/experiments',
    call: (fis, input, ctx) => {
      const b = input.body;
      const experiment = fis.startExperiment(ctx, {
        experimentTemplateId: input.required('experimentTemplateId', member.string),
        clientToken: member.string(b, 'clientToken'),
        tags: member.stringMap(b, 'tags'),
      });
      return {
        output: { experiment: experimentOut(experiment) },
        resources: [
          { type: EXPERIMENT, name: experiment.id },
          { type: TEMPLATE, name: experiment.experimentTemplateId },
        ],
      };
    },
  },
  {
    name: 'GetExperiment',
    method: 'GET',
    path: '/experiments/{id}',
    call: (fis, input, ctx) => {
      const experiment = fis.getExperiment(ctx, input.label('id'));
      return { output: { experiment: experimentOut(experiment) }, resources: [{ type: EXPERIMENT, name: experiment.id }] };
    },
  },
  {
    name: 'ListExperiments',
    method: 'GET',
    path: '/experiments',
    call: (fis, input, ctx) => {
      const page = fis.listExperiments(ctx, pageOf(input));
      return { output: { experiments: page.items.map(experimentSummaryOut), nextToken: page.nextToken } };
    },
  },
  {
    name: 'StopExperiment',
    method: 'DELETE',
    path: '/experiments/{id}',
    call: (fis, input, ctx) => {
      const experiment = fis.stopExperiment(ctx, input.label('id'));
      return { output: { experiment: experimentOut(experiment) }, resources: [{ type: EXPERIMENT, name: experiment.id }] };
    },
  },
  {
    name: 'TagResource',
    method: 'POST',
    path: '/tags/{resourceArn}',
    call: (fis, input) => {
      const arn = input.label('resourceArn');
      fis.tagResource(arn, input.required('tags', member.stringMap));
      return { output: {}, resources: [{ type: 'ARN', name: arn }] };
    },
  },
  {
    name: 'UntagResource',
    method: 'DELETE',
    path: '/tags/{resourceArn}',
    call: (fis, input) => {
      const arn = input.label('resourceArn');
      fis.untagResource(arn, input.queryList('tagKeys'));
      return { output: {}, resources: [{ type: 'ARN', name: arn }] };
    },
  },
  {
    name: 'ListTagsForResource',
    method: 'GET',
    path: '/tags/{resourceArn}',
    call: (fis, input) => {
      const arn = input.label('resourceArn');
      return { output: { tags: fis.tagsOf(arn) }, resources: [{ type: 'ARN', name: arn }] };
    },
  },
  {
    name: 'GetAction',
    method: 'GET',
    path: '/actions/{id}',
    call: (fis, input) => ({ output: { action: actionOut(fis.getAction(input.label('id'))) } }),
  },
  {
    name: 'ListActions',
    method: 'GET',
    path: '/actions',
    call: (fis, input) => {
      const page = fis.listActions(pageOf(input));
      return { output: { actions: page.items.map(actionSummaryOut), nextToken: page.nextToken } };
    },
  },
];

export function createFisBinding(fis: FisModel): ServiceBinding {
  const codec = new RestJsonCodec(operations.map((op) => ({ operation: op.name, method: op.method, path: op.path })));
  const byName = new Map(operations.map((op) => [op.name, op]));
  return {
    signingName: 'fis',
    eventSource: 'fis.amazonaws.com',
    // The experiment that took a region out must stay observable and stoppable.
    survivesRegionOutage: true,
    operationOf: (request) => codec.operationOf(request),
    invoke: async (operation, request, ctx): Promise<InvokeResult> => {
      const op = byName.get(operation)!;
      const { output, resources } = op.call(fis, codec.decode(operation, request), ctx);
      return { response: codec.encode(operation, output, ctx.requestId), ...(resources ? { resources } : {}) };
    },
    renderError: (error, ctx) => codec.renderError(error, ctx.requestId),
  };
}

/** The operation names FIS answers, in table order. */
export const fisOperations: readonly string[] = operations.map((op) => op.name);

// ---- input ----------------------------------------------------------------

function pageOf(input: RestJsonInput): { maxResults?: number; nextToken?: string } {
  const maxResults = input.queryInteger('maxResults');
  const nextToken = input.queryString('nextToken');
  return { ...(maxResults !== undefined ? { maxResults } : {}), ...(nextToken ? { nextToken } : {}) };
}

function readTarget(value: JsonObject, path: string): TemplateTarget {
  const resourceType = member.string(value, 'resourceType');
  if (resourceType === undefined) throw missing(`${path}.resourceType`);
  const selectionMode = member.string(value, 'selectionMode');
  if (selectionMode === undefined) throw missing(`${path}.selectionMode`);
  const target: TemplateTarget = { resourceType, selectionMode };
  const resourceArns = member.stringList(value, 'resourceArns');
  if (resourceArns) target.resourceArns = resourceArns;
  const resourceTags = member.stringMap(value, 'resourceTags');
  if (resourceTags) target.resourceTags = resourceTags;
  const filters = member.objectList(value, 'filters', (filter, at) => {
    const filterPath = member.string(filter, 'path');
    if (filterPath === undefined) throw missing(`${at}.path`);
    return { path: filterPath, values: member.stringList(filter, 'values') ?? [] };
  });
  if (filters) target.filters = filters;
  const parameters = member.stringMap(value, 'parameters');
  if (parameters) target.parameters = parameters;
  return target;
}

function readAction(value: JsonObject, path: string): TemplateAction {
  const actionId = member.string(value, 'actionId');
  if (actionId === undefined) throw missing(`${path}.actionId`);
  const description = member.string(value, 'description');
  return {
    actionId,
    ...(description !== undefined ? { description } : {}),
    parameters: member.stringMap(value, 'parameters') ?? {},
    targets: member.stringMap(value, 'targets') ?? {},
    startAfter: member.stringList(value, 'startAfter') ?? [],
  };
}

function readStopCondition(value: JsonObject, path: string): StopCondition {
  const source = member.string(value, 'source');
  if (source === undefined) throw missing(`${path}.source`);
  const conditionValue = member.string(value, 'value');
  return { source, ...(conditionValue !== undefined ? { value: conditionValue } : {}) };
}

function readExperimentOptions(body: JsonObject) {
  const options = member.object(body, 'experimentOptions');
  if (!options) return undefined;
  const accountTargeting = member.string(options, 'accountTargeting');
  const emptyTargetResolutionMode = member.string(options, 'emptyTargetResolutionMode');
  // Checked against the allowed values by the model, which words the error as FIS does.
  return {
    ...(accountTargeting !== undefined ? { accountTargeting: accountTargeting as 'single-account' } : {}),
    ...(emptyTargetResolutionMode !== undefined ? { emptyTargetResolutionMode: emptyTargetResolutionMode as 'fail' } : {}),
  };
}

function readOptionalLogConfiguration(body: JsonObject): LogConfiguration | undefined {
  const value = member.object(body, 'logConfiguration');
  return value ? readLogConfiguration(value, 'logConfiguration') : undefined;
}

function readLogConfiguration(value: JsonObject, path: string): LogConfiguration {
  const logSchemaVersion = member.integer(value, 'logSchemaVersion');
  if (logSchemaVersion === undefined) throw missing(`${path}.logSchemaVersion`);
  const out: LogConfiguration = { logSchemaVersion };
  const cloudWatch = member.object(value, 'cloudWatchLogsConfiguration');
  if (cloudWatch) {
    const logGroupArn = member.string(cloudWatch, 'logGroupArn');
    if (logGroupArn === undefined) throw missing(`${path}.cloudWatchLogsConfiguration.logGroupArn`);
    out.cloudWatchLogsConfiguration = { logGroupArn };
  }
  const s3 = member.object(value, 's3Configuration');
  if (s3) {
    const bucketName = member.string(s3, 'bucketName');
    if (bucketName === undefined) throw missing(`${path}.s3Configuration.bucketName`);
    const prefix = member.string(s3, 'prefix');
    out.s3Configuration = { bucketName, ...(prefix !== undefined ? { prefix } : {}) };
  }
  return out;
}

// ---- output ---------------------------------------------------------------

const at = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

function targetOut(target: TemplateTarget): Wire {
  return {
    resourceType: target.resourceType,
    resourceArns: target.resourceArns,
    resourceTags: target.resourceTags,
    filters: target.filters?.map((f) => ({ path: f.path, values: [...f.values] })),
    selectionMode: target.selectionMode,
    parameters: target.parameters,
  };
}

function templateActionOut(action: TemplateAction): Wire {
  return {
    actionId: action.actionId,
    description: action.description,
    parameters: action.parameters,
    targets: action.targets,
    startAfter: action.startAfter.length > 0 ? action.startAfter : undefined,
  };
}

function mapValues<T>(record: Record<string, T>, f: (value: T) => Wire): Wire {
  const out: Wire = {};
  for (const [key, value] of Object.entries(record)) out[key] = f(value);
  return out;
}

function logConfigurationOut(config: LogConfiguration | undefined): Wire | undefined {
  if (!config) return undefined;
  return {
    logSchemaVersion: config.logSchemaVersion,
    cloudWatchLogsConfiguration: config.cloudWatchLogsConfiguration ? { ...config.cloudWatchLogsConfiguration } : undefined,
    s3Configuration: config.s3Configuration ? { ...config.s3Configuration } : undefined,
  };
}

function templateOut(template: ExperimentTemplate): Wire {
  return {
    id: template.id,
    description: template.description,
    targets: mapValues(template.targets, targetOut),
    actions: mapValues(template.actions, templateActionOut),
    stopConditions: template.stopConditions.map((c) => ({ source: c.source, value: c.value })),
    creationTime: at(template.creationTime),
    lastUpdateTime: at(template.lastUpdateTime),
    roleArn: template.roleArn,
    tags: template.tags,
    logConfiguration: logConfigurationOut(template.logConfiguration),
    experimentOptions: { ...template.experimentOptions },
  };
}

function templateSummaryOut(template: ExperimentTemplate): Wire {
  return {
    id: template.id,
    description: template.description,
    creationTime: at(template.creationTime),
    lastUpdateTime: at(template.lastUpdateTime),
    tags: template.tags,
  };
}

function experimentOut(experiment: Experiment): Wire {
  return {
    id: experiment.id,
    experimentTemplateId: experiment.experimentTemplateId,
    roleArn: experiment.roleArn,
    state: { status: experiment.status, reason: experiment.reason },
    targets: mapValues(experiment.targets, targetOut),
    actions: mapValues(experiment.actions, (action) => ({
      ...templateActionOut(action),
      state: { status: action.status, reason: action.reason },
      startTime: at(action.startTime),
      endTime: at(action.endTime),
    })),
    stopConditions: experiment.stopConditions.map((c) => ({ source: c.source, value: c.value })),
    creationTime: at(experiment.creationTime),
    startTime: at(experiment.startTime),
    endTime: at(experiment.endTime),
    tags: experiment.tags,
    logConfiguration: logConfigurationOut(experiment.logConfiguration),
    experimentOptions: { ...experiment.experimentOptions },
  };
}

function experimentSummaryOut(experiment: Experiment): Wire {
  return {
    id: experiment.id,
    experimentTemplateId: experiment.experimentTemplateId,
    state: { status: experiment.status, reason: experiment.reason },
    creationTime: at(experiment.creationTime),
    tags: experiment.tags,
  };
}

function actionTargetsOut(action: FisActionDefinition): Wire {
  return mapValues(action.targets, (resourceType) => ({ resourceType }));
}

function actionOut(action: FisActionDefinition): Wire {
  return {
    id: action.id,
    description: action.description,
    parameters: mapValues(action.parameters, (p) => ({ description: p.description, required: p.required })),
    targets: actionTargetsOut(action),
    tags: {},
  };
}

function actionSummaryOut(action: FisActionDefinition): Wire {
  return { id: action.id, description: action.description, targets: actionTargetsOut(action), tags: {} };
}
