/**
 * The guide's local-world settings that break the cart on EKS — an endpoint override (CART002) and create-table
 * mode (CART003) — read from the cart containers' effective environment and mounted SDK config files, in every
 * workload type, the way the SDK and the service read them. The cart's own keys are also refused in any ConfigMap
 * or Secret, loaded or not (anything may load them later).
 */
import { ENV } from '@cart-platform/service/contract';
import { isUnset, parseBoolean } from '@cart-platform/service/env-parsing';
import {
  awsDynamodbEndpointRegion,
  interfaceEndpointRegion,
  parseIni,
  sdkDynamodbEndpoint,
  sdkFiles,
} from '../aws-sdk';
import { regionOf } from '../aws-context';
import { cartContainers, describeContainer, setting, tableOf } from '../cart';
import { describeValue } from '../environment';
import { dataEntries, kubernetesModel, type ContainerView } from '../kubernetes-model';
import type { SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { shown } from '../values';
import { unique } from './violations';

const LOCAL_ENDPOINT_EFFECT =
  "the cart calls an endpoint that is not AWS's DynamoDB — `getaddrinfo ENOTFOUND` / `connect ECONNREFUSED` at start, or an emulator's empty table.";
const ENDPOINT_FIX = `remove it: on EKS the SDK calls the regional DynamoDB endpoint; for a VPC interface endpoint set AWS_ENDPOINT_URL_DYNAMODB to its https URL (not ${ENV.endpoint}).`;

/** The service's own endpoint variable: any value makes the service act as the local world. */
function serviceEndpoint(view: ContainerView): Violation[] {
  const value = setting(view, ENV.endpoint);
  // A ConfigMap or Secret key is refused on its own (endpointInData).
  if (value === undefined || value.viaEnvFrom) return [];
  const aws = value.text !== undefined && awsDynamodbEndpointRegion(value.text) !== undefined;
  return [
    {
      element: value.source,
      message: `${value.where} sets ${ENV.endpoint}=${describeValue(value)} for ${describeContainer(view)}: an endpoint override on EKS.`,
      effect: aws
        ? `the service treats any ${ENV.endpoint} as the local world: it signs every call with dummy credentials instead of the pod's role, and DynamoDB answers \`UnrecognizedClientException: The security token included in the request is invalid\`.`
        : LOCAL_ENDPOINT_EFFECT,
      fix: ENDPOINT_FIX,
    },
  ];
}

/** The SDK's endpoint variables: fine when they name AWS's DynamoDB in the table's region. */
function sdkEndpoint(app: SynthesizedApp, view: ContainerView): Violation[] {
  const value = sdkDynamodbEndpoint(view.environment);
  if (value === undefined) return [];
  const table = tableOf(app, view);
  const tableRegion = table === undefined ? undefined : regionOf(app, table);
  const region =
    value.text !== undefined
      ? awsDynamodbEndpointRegion(value.text)
      : interfaceEndpointRegion(app, value.reference);
  if (region !== undefined && (tableRegion === undefined || region === tableRegion)) return [];
  const problem =
    region !== undefined
      ? `a DynamoDB endpoint in ${region}, but the table ${table?.path ?? ''} is in ${tableRegion ?? '?'}`
      : 'an endpoint override that is not a DynamoDB endpoint of AWS';
  return [
    {
      element: value.source,
      message: `${value.where} sets ${value.name}=${describeValue(value)} for ${describeContainer(view)}: ${problem}.`,
      effect:
        region !== undefined
          ? 'the SDK signs for one region and calls another: `InvalidSignatureException: Credential should be scoped to a valid region`, or `ResourceNotFoundException` for the table.'
          : LOCAL_ENDPOINT_EFFECT,
      fix: `remove ${value.name} (the SDK then calls the regional endpoint), or set it to the DynamoDB endpoint of the table's region.`,
    },
  ];
}

/** An `endpoint_url` in a shared config file the SDK reads. */
function configFileEndpoint(app: SynthesizedApp, view: ContainerView): Violation[] {
  if (view.environment.get('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')?.text?.trim() === 'true') return [];
  const { objects } = kubernetesModel(app);
  return sdkFiles(app, objects, view.pod, view.container, view.environment).flatMap(({ file, role }) => {
    if (role !== 'config' || file.content === undefined) return [];
    const urls = [...parseIni(file.content)].flatMap(([section, keys]) =>
      keys.has('endpoint_url') ? [`[${section}] endpoint_url = ${keys.get('endpoint_url')}`] : [],
    );
    const bad = urls.filter((u) => awsDynamodbEndpointRegion(u.split('= ')[1] ?? '') === undefined);
    if (bad.length === 0) return [];
    return [
      {
        element: view.pod.source,
        message: `${describeContainer(view)} reads the SDK config file ${file.path} (${file.origin}), which sets ${bad.join('; ')}.`,
        effect: LOCAL_ENDPOINT_EFFECT,
        fix: 'remove endpoint_url from the mounted config file (or do not mount it on EKS).',
      },
    ];
  });
}

/** The cart's own endpoint key in any ConfigMap or Secret, loaded or not. */
function endpointInData(app: SynthesizedApp): Violation[] {
  return dataEntries(app)
    .filter((e) => e.key === ENV.endpoint && (e.text === undefined || !isUnset(e.text)))
    .map((e) => ({
      element: e.source,
      message: `${e.where} ${ENV.endpoint}=${e.text === undefined ? 'from a value synth cannot read' : shown(e.text)}: an endpoint override on EKS.`,
      effect: LOCAL_ENDPOINT_EFFECT,
      fix: ENDPOINT_FIX,
    }));
}

export const endpointOverride: GuardrailRule = {
  id: 'CART002',
  title:
    "No DynamoDB endpoint override for the cart on EKS (the service's variable, the SDK's, a config file)",
  prevents:
    "The cart calls a DynamoDB Local that is not there — `getaddrinfo ENOTFOUND dynamodb` / `connect ECONNREFUSED` at start — or, with upstream's forced us-west-2, `ResourceNotFoundException: Requested resource not found`.",
  fix: ENDPOINT_FIX,
  category: 'eks-wiring',
  checkov: [],
  check: (app) =>
    unique([
      ...endpointInData(app),
      ...cartContainers(app).flatMap((view) => [
        ...serviceEndpoint(view),
        ...sdkEndpoint(app, view),
        ...configFileEndpoint(app, view),
      ]),
    ]),
};

const CREATE_TABLE_FIX = `remove ${ENV.createTable} (or set it to "false"): the cart stack's aws_dynamodb_table owns the table.`;

/** A create-table value as the service reads it: true, or a spelling it refuses. */
function createTableProblem(text: string | undefined): string | undefined {
  if (text === undefined) return 'a value synth cannot read (it may be true at apply)';
  if (isUnset(text)) return undefined;
  const parsed = parseBoolean(text);
  if (parsed === true) return 'create-table mode on EKS';
  return parsed === undefined
    ? 'a value the service refuses (it expects true/false, on/off, yes/no, 1/0)'
    : undefined;
}

const CREATE_TABLE_EFFECT = `the service refuses to start on AWS (\`${ENV.createTable}=true is only allowed with ${ENV.endpoint} set\`, or a ConfigError for an unknown spelling), and the least-privilege role has no dynamodb:CreateTable; upstream's image even deletes and recreates the table at every start.`;

export const createTable: GuardrailRule = {
  id: 'CART003',
  title:
    'No create-table mode (RETAIL_CART_PERSISTENCE_DYNAMODB_CREATE_TABLE) on EKS, read as the service reads it',
  prevents:
    'The least-privilege role has no CreateTable: `AccessDeniedException: … is not authorized to perform: dynamodb:CreateTable`; upstream even deletes and recreates the table at every start (data loss). On EKS the table belongs to Terraform.',
  fix: CREATE_TABLE_FIX,
  category: 'eks-wiring',
  checkov: [],
  check: (app) => {
    const inData = dataEntries(app).flatMap((e) => {
      const problem = e.key === ENV.createTable ? createTableProblem(e.text) : undefined;
      return problem === undefined
        ? []
        : [
            {
              element: e.source,
              message: `${e.where} ${ENV.createTable}=${e.text === undefined ? '?' : shown(e.text)}: ${problem}.`,
              effect: CREATE_TABLE_EFFECT,
              fix: CREATE_TABLE_FIX,
            },
          ];
    });
    const inContainers = cartContainers(app).flatMap((view) => {
      const value = view.environment.get(ENV.createTable);
      const problem = value === undefined || value.viaEnvFrom ? undefined : createTableProblem(value.text);
      if (value === undefined || problem === undefined) return [];
      return [
        {
          element: value.source,
          message: `${value.where} sets ${ENV.createTable}=${describeValue(value)} for ${describeContainer(view)}: ${problem}.`,
          effect: CREATE_TABLE_EFFECT,
          fix: CREATE_TABLE_FIX,
        },
      ];
    });
    return unique([...inData, ...inContainers]);
  },
};
