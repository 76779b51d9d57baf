/**
 * What the AWS SDK for JavaScript v3 (the cart's client) does with a container's environment and files:
 * - credentials: environment keys first, then the shared credentials and config files (`~/.aws/credentials`,
 *   `~/.aws/config`, or the files `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE` name), all before the Pod
 *   Identity or IRSA credentials EKS injects;
 * - endpoint: `AWS_ENDPOINT_URL_DYNAMODB`, else `AWS_ENDPOINT_URL`, else the config file's `endpoint_url`, unless
 *   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`. Other services' `AWS_ENDPOINT_URL_<SERVICE>` do not apply.
 * An empty value is no value, for the SDK as for the service.
 */
import type { EnvValue } from './environment';
import { findObject, type KubeObject } from './kubernetes-objects';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import type { ContainerModel, PodModel } from './workloads';

export const SDK_VARIABLES = {
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  sessionToken: 'AWS_SESSION_TOKEN',
  credentialsFile: 'AWS_SHARED_CREDENTIALS_FILE',
  configFile: 'AWS_CONFIG_FILE',
  endpoint: 'AWS_ENDPOINT_URL',
  dynamodbEndpoint: 'AWS_ENDPOINT_URL_DYNAMODB',
  ignoreEndpoints: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
} as const;

/** Static credentials the SDK takes from the environment before Pod Identity or IRSA. */
export const STATIC_KEY_VARIABLES: readonly string[] = [
  SDK_VARIABLES.accessKeyId,
  SDK_VARIABLES.secretAccessKey,
  SDK_VARIABLES.sessionToken,
];

/** An access key id (long-term `AKIA…` or temporary `ASIA…`), wherever it appears. */
export const ACCESS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/;

/** An access key id shown without its middle (enough to recognise it, not to use it). */
export function masked(text: string): string {
  return text.replace(new RegExp(ACCESS_KEY_ID.source, 'g'), (key) => `${key.slice(0, 4)}…${key.slice(-4)}`);
}

/** A set value: present and not blank. */
export function isSet(value: EnvValue | undefined): value is EnvValue {
  return value !== undefined && (value.text === undefined || value.text.trim() !== '');
}

/** The endpoint the SDK's DynamoDB client would use, and the variable that sets it. */
export function sdkDynamodbEndpoint(environment: Map<string, EnvValue>): EnvValue | undefined {
  if (environment.get(SDK_VARIABLES.ignoreEndpoints)?.text?.trim() === 'true') return undefined;
  const specific = environment.get(SDK_VARIABLES.dynamodbEndpoint);
  if (isSet(specific)) return specific;
  const generic = environment.get(SDK_VARIABLES.endpoint);
  return isSet(generic) ? generic : undefined;
}

/** An endpoint of AWS's DynamoDB: regional, FIPS, dual-stack, account-based or a VPC interface endpoint. */
const AWS_DYNAMODB_ENDPOINT =
  /^https:\/\/(?:dynamodb(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|api\.aws)|\d{12}\.ddb\.([a-z0-9-]+)\.amazonaws\.com|vpce-[a-z0-9-]+\.dynamodb\.([a-z0-9-]+)\.vpce\.amazonaws\.com)\/?$/;

/** The region of an AWS DynamoDB endpoint URL; undefined for anything else (DynamoDB Local, an emulator). */
export function awsDynamodbEndpointRegion(url: string): string | undefined {
  const match = AWS_DYNAMODB_ENDPOINT.exec(url.trim());
  return match === null ? undefined : (match[1] ?? match[2] ?? match[3]);
}

/** The region of an `aws_vpc_endpoint` for DynamoDB of interface type; undefined for anything else. */
export function interfaceEndpointRegion(
  app: SynthesizedApp,
  element: ElementView | undefined,
): string | undefined {
  if (element?.type !== 'aws_vpc_endpoint') return undefined;
  const service = app.literal(element.config.service_name, element);
  const type = app.literal(element.config.vpc_endpoint_type, element);
  return type === 'Interface'
    ? /^com\.amazonaws\.([a-z0-9-]+)\.dynamodb$/.exec(service ?? '')?.[1]
    : undefined;
}

/** A file of a Secret or ConfigMap volume, as the container sees it. */
export interface MountedFile {
  readonly path: string;
  /** The content, when the object and its key are in the app. */
  readonly content?: string;
  /** True when the path stands for every file of a directory whose keys synth does not know. */
  readonly anyFileUnder: boolean;
  /** `Secret aws-credentials key credentials`. */
  readonly origin: string;
}

function filesOfMount(
  app: SynthesizedApp,
  objects: readonly KubeObject[],
  pod: PodModel,
  mount: ContainerModel['mounts'][number],
): MountedFile[] {
  const volume = pod.volumes.find((v) => v.name === mount.volume);
  return (volume?.files ?? []).flatMap((file) => {
    const object = findObject(app, objects, file.kind, file.name, pod.namespace, pod.source);
    const name = app.literal(file.name, pod.source) ?? '?';
    const items = file.items ?? [...(object?.data.keys() ?? [])].map((key) => ({ key, path: key }));
    const entry = (key: string, path: string): MountedFile => ({
      path,
      content: object?.data.get(key)?.text,
      anyFileUnder: false,
      origin: `${file.kind} ${name} key ${key}`,
    });
    if (mount.subPath !== undefined) {
      const item = items.find((i) => i.path === mount.subPath);
      return [entry(item?.key ?? mount.subPath, mount.mountPath)];
    }
    if (file.items === undefined && object === undefined) {
      return [
        {
          path: mount.mountPath,
          anyFileUnder: true,
          origin: `${file.kind} ${name} (not defined in the app)`,
        },
      ];
    }
    return items.map((i) => entry(i.key, `${mount.mountPath.replace(/\/$/, '')}/${i.path}`));
  });
}

/** Whether a mounted file is the file the SDK reads (`~/` matches any home directory). */
function isAt(file: MountedFile, wanted: string): boolean {
  const home = wanted.startsWith('~/');
  if (file.anyFileUnder) {
    const directory = file.path.replace(/\/$/, '');
    return home
      ? directory.endsWith(wanted.slice(1, wanted.lastIndexOf('/')))
      : wanted.startsWith(`${directory}/`);
  }
  return home ? file.path.endsWith(wanted.slice(1)) : file.path === wanted;
}

/** The shared credentials and config files the SDK will read in this container, from mounted volumes. */
export function sdkFiles(
  app: SynthesizedApp,
  objects: readonly KubeObject[],
  pod: PodModel,
  container: ContainerModel,
  environment: Map<string, EnvValue>,
): { file: MountedFile; role: 'credentials' | 'config'; wanted: string; variable?: string }[] {
  const chosen = (variable: string, fallback: string) => {
    const value = environment.get(variable);
    return isSet(value) && value.text !== undefined
      ? { path: value.text.trim(), variable }
      : { path: fallback };
  };
  const wanted = [
    { role: 'credentials' as const, ...chosen(SDK_VARIABLES.credentialsFile, '~/.aws/credentials') },
    { role: 'config' as const, ...chosen(SDK_VARIABLES.configFile, '~/.aws/config') },
  ];
  const files = container.mounts.flatMap((m) => filesOfMount(app, objects, pod, m));
  return wanted.flatMap((w) =>
    files
      .filter((f) => isAt(f, w.path))
      .map((file) => ({ file, role: w.role, wanted: w.path, variable: w.variable })),
  );
}

/** Settings of an INI credentials/config file: `[section]` → key → value. */
export function parseIni(content: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  sections.set('', current);
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section !== null) {
      current = new Map();
      sections.set(section[1].trim(), current);
    } else if (line.includes('=')) {
      const [key, ...value] = line.split('=');
      current.set(key.trim().toLowerCase(), value.join('=').trim());
    }
  }
  return sections;
}

/**
 * Keys of a shared file that give the SDK an identity of its own: static keys, a credential process, a role to
 * assume (from another profile, the instance metadata or a token file), SSO.
 */
export const FILE_CREDENTIAL_KEYS = [
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'credential_process',
  'role_arn',
  'credential_source',
  'web_identity_token_file',
  'sso_session',
  'sso_start_url',
];
