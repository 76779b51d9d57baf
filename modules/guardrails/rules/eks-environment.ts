/**
 * The guide's local-world settings that break the cart on EKS: static keys, an endpoint override, create-table.
 * They are checked wherever a variable can be set — a container's env, a ConfigMap or a Secret — because the
 * service reads them all the same.
 */
import { ENV } from '@cart-platform/service/contract';
import { containerEnvSettings, dataSettings, pods, type EnvSetting } from '../kubernetes';
import type { SynthesizedApp } from '../synthesized-app';
import { type GuardrailRule, type Violation } from '../types';

/** Static credentials the SDK would use before Pod Identity or IRSA. */
export const STATIC_KEY_VARIABLES: readonly string[] = [
  ENV.accessKeyId,
  ENV.secretAccessKey,
  'AWS_SESSION_TOKEN',
];
/** The SDK's own endpoint overrides (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_DYNAMODB`, …). */
const SDK_ENDPOINT_VARIABLE = /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/;

/** Every place a variable is set: ConfigMap and Secret keys, and container env entries. */
function allSettings(app: SynthesizedApp): EnvSetting[] {
  const fromContainers = pods(app).flatMap((pod) =>
    pod.containers.flatMap((container) => containerEnvSettings(app, pod, container)),
  );
  return [...dataSettings(app), ...fromContainers];
}

function settingViolations(
  app: SynthesizedApp,
  matches: (setting: EnvSetting) => boolean,
  describe: (setting: EnvSetting) => string,
  fix: string,
): Violation[] {
  return allSettings(app)
    .filter(matches)
    .map((setting) => ({ element: setting.source, message: describe(setting), fix }));
}

const shown = (setting: EnvSetting) =>
  setting.value === undefined ? 'from a reference' : JSON.stringify(setting.value);

export const staticCredentials: GuardrailRule = {
  id: 'CART001',
  title: 'No static AWS keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) in a workload on EKS',
  prevents:
    "The SDK takes static keys before Pod Identity: the local world's dummy keys fail every call with `UnrecognizedClientException: The security token included in the request is invalid`; real keys put long-lived credentials in the cluster and bypass the least-privilege role.",
  category: 'eks-wiring',
  checkov: [],
  check: (app) =>
    settingViolations(
      app,
      (s) => STATIC_KEY_VARIABLES.includes(s.name),
      (s) => `${s.where} sets ${s.name}: static AWS credentials in an EKS environment.`,
      `remove ${STATIC_KEY_VARIABLES.join(', ')} — on EKS the SDK's default chain takes the credentials of the service account's Pod Identity association (or IRSA role).`,
    ),
};

export const endpointOverride: GuardrailRule = {
  id: 'CART002',
  title:
    'No DynamoDB endpoint override (RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT, AWS_ENDPOINT_URL*) on EKS',
  prevents:
    "The cart calls a DynamoDB Local that is not there — `getaddrinfo ENOTFOUND dynamodb` / `connect ECONNREFUSED` at start — or, with upstream's forced us-west-2, `ResourceNotFoundException: Requested resource not found`.",
  category: 'eks-wiring',
  checkov: [],
  check: (app) =>
    settingViolations(
      app,
      (s) => (s.name === ENV.endpoint || SDK_ENDPOINT_VARIABLE.test(s.name)) && s.value !== '',
      (s) => `${s.where} sets ${s.name}=${shown(s)}: an endpoint override in an EKS environment.`,
      `remove ${ENV.endpoint} (and AWS_ENDPOINT_URL*) — on EKS the cart must call the regional DynamoDB endpoint.`,
    ),
};

export const createTable: GuardrailRule = {
  id: 'CART003',
  title: 'No create-table mode (RETAIL_CART_PERSISTENCE_DYNAMODB_CREATE_TABLE=true) on EKS',
  prevents:
    'The least-privilege role has no CreateTable: `AccessDeniedException: … is not authorized to perform: dynamodb:CreateTable`; upstream even deletes and recreates the table at every start (data loss). On EKS the table belongs to Terraform.',
  category: 'eks-wiring',
  checkov: [],
  check: (app) =>
    settingViolations(
      app,
      (s) => s.name === ENV.createTable && s.value?.trim().toLowerCase() === 'true',
      (s) => `${s.where} sets ${s.name}=${shown(s)}: create-table mode in an EKS environment.`,
      `remove ${ENV.createTable} (or set it to "false") — the cart stack's aws_dynamodb_table owns the table.`,
    ),
};
