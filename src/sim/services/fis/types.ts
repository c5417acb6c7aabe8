import type { EpochMs } from '../../../clock/types.js';

/** FIS's model shapes (no wire types: the binding maps these to restJson1). */

export interface TargetFilter {
  /** A dotted path into the resource as its module describes it, e.g. `AvailabilityZone` or `tags.tier`. */
  path: string;
  values: string[];
}

export interface TemplateTarget {
  resourceType: string;
  resourceArns?: string[];
  resourceTags?: Record<string, string>;
  filters?: TargetFilter[];
  /** `ALL`, `COUNT(n)` or `PERCENT(n)`. */
  selectionMode: string;
  parameters?: Record<string, string>;
}

export interface TemplateAction {
  actionId: string;
  description?: string;
  parameters: Record<string, string>;
  /** Action target key (e.g. `Subnets`) → template target name. */
  targets: Record<string, string>;
  startAfter: string[];
}

export interface StopCondition {
  /** `aws:cloudwatch:alarm` or `none`. */
  source: string;
  /** The alarm ARN for `aws:cloudwatch:alarm`. */
  value?: string;
}

export type EmptyTargetResolutionMode = 'fail' | 'skip';

export interface ExperimentOptions {
  accountTargeting: 'single-account' | 'multi-account';
  emptyTargetResolutionMode: EmptyTargetResolutionMode;
}

/** Log configuration is kept and echoed back; the sim writes no logs. */
export interface LogConfiguration {
  logSchemaVersion: number;
  cloudWatchLogsConfiguration?: { logGroupArn: string };
  s3Configuration?: { bucketName: string; prefix?: string };
}

export interface ExperimentTemplate {
  id: string;
  arn: string;
  region: string;
  description: string;
  targets: Record<string, TemplateTarget>;
  actions: Record<string, TemplateAction>;
  stopConditions: StopCondition[];
  roleArn: string;
  tags: Record<string, string>;
  experimentOptions: ExperimentOptions;
  logConfiguration?: LogConfiguration;
  creationTime: EpochMs;
  lastUpdateTime: EpochMs;
}

/** CreateExperimentTemplate's input; members AWS requires are optional here so the model reports them missing as AWS does. */
export interface CreateTemplateInput {
  clientToken?: string;
  description?: string;
  targets?: Record<string, TemplateTarget>;
  actions?: Record<string, TemplateAction>;
  stopConditions?: StopCondition[];
  roleArn?: string;
  tags?: Record<string, string>;
  experimentOptions?: Partial<ExperimentOptions>;
  logConfiguration?: LogConfiguration;
}

/** UpdateExperimentTemplate's input: a member given replaces the template's whole member. */
export interface UpdateTemplateInput {
  description?: string;
  targets?: Record<string, TemplateTarget>;
  actions?: Record<string, TemplateAction>;
  stopConditions?: StopCondition[];
  roleArn?: string;
  experimentOptions?: Partial<ExperimentOptions>;
  logConfiguration?: LogConfiguration;
}

export type ExperimentStatus = 'pending' | 'initiating' | 'running' | 'completed' | 'stopping' | 'stopped' | 'failed';

export type ActionStatus =
  | 'pending'
  | 'initiating'
  | 'running'
  | 'completed'
  | 'cancelled'
  | 'stopping'
  | 'stopped'
  | 'failed'
  | 'skipped';

export interface ExperimentAction extends TemplateAction {
  status: ActionStatus;
  reason: string;
  startTime?: EpochMs;
  endTime?: EpochMs;
}

export interface Experiment {
  id: string;
  arn: string;
  region: string;
  experimentTemplateId: string;
  roleArn: string;
  status: ExperimentStatus;
  reason: string;
  targets: Record<string, TemplateTarget>;
  actions: Record<string, ExperimentAction>;
  stopConditions: StopCondition[];
  experimentOptions: ExperimentOptions;
  logConfiguration?: LogConfiguration;
  tags: Record<string, string>;
  creationTime: EpochMs;
  /** When the experiment began running (after initiating). */
  startTime?: EpochMs;
  endTime?: EpochMs;
  /** Target name → resource ARNs chosen at start. */
  resolvedTargets: Record<string, string[]>;
}

export interface StartExperimentInput {
  experimentTemplateId: string;
  clientToken?: string;
  tags?: Record<string, string>;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageRequest {
  maxResults?: number;
  nextToken?: string;
}

/** AWS's own quotas, adjustable per sim as they are per account. */
export interface FisQuotas {
  /** Experiment templates per account and region (AWS: 500). */
  templates: number;
  /** Experiments not yet finished, per account and region (AWS: 5 for one account). */
  activeExperiments: number;
}

export const defaultFisQuotas: FisQuotas = { templates: 500, activeExperiments: 5 };
