/**
 * A `SecretProviderClass` for the AWS provider of the Secrets Store CSI driver (ASCP), under EKS Pod Identity or IRSA.
 *
 * Usage (a workload's stack, deployed after the platform stack, which installs the driver and its CRDs):
 *
 *   const spc = new SecretProviderClass(this, 'cart-secrets', {
 *     name: 'cart-secrets',
 *     namespace: 'carts',
 *     identityMode: identity.mode,          // how the mounting pods get their role (WorkloadIdentity)
 *     secrets: [{ objectName: 'retail/cart/api', objectType: 'secretsmanager', jmesPath: [{ path: 'key', objectAlias: 'api-key' }] }],
 *     syncToKubernetesSecret: { secretName: 'cart-api', data: [{ key: 'API_KEY', objectName: 'api-key' }] },
 *   });
 *   grantSecretsRead(identity, [secretArn]);   // the pod's own role reads the secret
 *   // pod: volume { csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true,
 *   //   volumeAttributes: { secretProviderClass: spc.name } } } mounted somewhere, e.g. /mnt/secrets
 *
 * The mounted files are named by `objectAlias` (or the object name); a Kubernetes Secret is only synced while at
 * least one pod mounts the volume.
 */
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { DNS_LABEL, DNS_SUBDOMAIN } from '@cart-platform/service/validators';
import { requireFormat } from './validate';
import { IDENTITY_MODES, type IdentityMode } from './workload-identity';

/** The CSI driver name pods reference in their `csi` volume. */
export const SECRETS_STORE_CSI_DRIVER = 'secrets-store.csi.k8s.io';
export const SECRET_OBJECT_TYPES = ['secretsmanager', 'ssmparameter'] as const;
export type SecretObjectType = (typeof SECRET_OBJECT_TYPES)[number];

/** One key of a JSON secret, mounted as a file of its own. */
export interface JmesPathEntry {
  /** JMESPath into the secret's JSON, e.g. `username`. */
  readonly path: string;
  /** File name (and sync name) of the extracted value. */
  readonly objectAlias: string;
}

/** One Secrets Manager secret or SSM parameter to mount. */
export interface SecretObject {
  /** Secret name or ARN (Secrets Manager), parameter name or ARN (SSM). */
  readonly objectName: string;
  /** Where it lives. */
  readonly objectType: SecretObjectType;
  /** File name of the mounted value. @default - the object name */
  readonly objectAlias?: string;
  /** Version stage (Secrets Manager) to mount. @default - AWSCURRENT */
  readonly objectVersionLabel?: string;
  /** Keys of a JSON secret to mount as separate files. @default - none */
  readonly jmesPath?: readonly JmesPathEntry[];
}

/** Mirrors mounted objects into a Kubernetes Secret (for `env.valueFrom.secretKeyRef`). */
export interface SyncToKubernetesSecret {
  /** Name of the Kubernetes Secret. */
  readonly secretName: string;
  /** Secret type. @default 'Opaque' */
  readonly type?: string;
  /** Secret keys and the mounted object (its alias, object name or jmesPath alias) each comes from. */
  readonly data: readonly { readonly key: string; readonly objectName: string }[];
  /** Labels of the Secret. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface SecretProviderClassProps {
  /** Name of the SecretProviderClass (pods reference it in `volumeAttributes.secretProviderClass`). */
  readonly name: string;
  /** Namespace; the pods that mount it must be in the same one. */
  readonly namespace: string;
  /** The secrets and parameters to mount (at least one). */
  readonly secrets: readonly SecretObject[];
  /** Also sync the mounted values into a Kubernetes Secret. @default - no Secret */
  readonly syncToKubernetesSecret?: SyncToKubernetesSecret;
  /** Region of the secrets. @default - the region of the node the pod runs on */
  readonly region?: string;
  /**
   * How the mounting pods' service account gets its role, which decides the credentials ASCP fetches with:
   * `pod-identity` (an association; `usePodIdentity: "true"`) or `irsa` (the role-arn annotation; `"false"`).
   * @default 'pod-identity'
   */
  readonly identityMode?: IdentityMode;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * ASCP's `usePodIdentity` per identity mode. ASCP parses it with Go's `strconv.ParseBool` and treats an absent value
 * as IRSA (aws/secrets-store-csi-driver-provider-aws, server/server.go); IRSA is written out anyway, so the class
 * says which mode it expects.
 */
export const USE_POD_IDENTITY: Readonly<Record<IdentityMode, 'true' | 'false'>> = {
  'pod-identity': 'true',
  irsa: 'false',
};

/** A SecretProviderClass (`secrets-store.csi.x-k8s.io/v1`) for the AWS provider, with the pods' own identity. */
export class SecretProviderClass extends Construct {
  /** The SecretProviderClass name, for the pod's `volumeAttributes.secretProviderClass`. */
  public readonly name: string;
  public readonly namespace: string;
  /** The identity mode the class fetches with. */
  public readonly identityMode: IdentityMode;
  /** The synced Kubernetes Secret's name, when syncing. */
  public readonly kubernetesSecretName?: string;
  /** The `parameters.objects` document as rendered (YAML). */
  public readonly objectsYaml: string;
  public readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: SecretProviderClassProps) {
    super(scope, id);
    validate(props);
    this.name = props.name;
    this.namespace = props.namespace;
    this.identityMode = props.identityMode ?? 'pod-identity';
    this.kubernetesSecretName = props.syncToKubernetesSecret?.secretName;
    this.objectsYaml = renderObjects(props.secrets);

    const sync = props.syncToKubernetesSecret;
    this.manifest = new Manifest(this, 'manifest', {
      manifest: {
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        metadata: { name: props.name, namespace: props.namespace },
        spec: {
          provider: 'aws',
          parameters: {
            objects: this.objectsYaml,
            // Pod Identity: ASCP exchanges the pod's token for audience pods.eks.amazonaws.com with the agent; IRSA:
            // the sts.amazonaws.com token for the role in the ServiceAccount's annotation (guardrail CART013).
            usePodIdentity: USE_POD_IDENTITY[this.identityMode],
            ...(props.region !== undefined && { region: props.region }),
          },
          ...(sync !== undefined && {
            secretObjects: [
              {
                secretName: sync.secretName,
                type: sync.type ?? 'Opaque',
                ...(sync.labels !== undefined && { labels: { ...sync.labels } }),
                data: sync.data.map((d) => ({ objectName: d.objectName, key: d.key })),
              },
            ],
          }),
        },
      },
    });
  }
}

/** Renders `parameters.objects`: a YAML list, every scalar double-quoted (JSON strings are YAML scalars). */
export function renderObjects(secrets: readonly SecretObject[]): string {
  const q = (value: string) => JSON.stringify(value);
  const lines: string[] = [];
  for (const s of secrets) {
    lines.push(`- objectName: ${q(s.objectName)}`, `  objectType: ${q(s.objectType)}`);
    if (s.objectAlias !== undefined) lines.push(`  objectAlias: ${q(s.objectAlias)}`);
    if (s.objectVersionLabel !== undefined) lines.push(`  objectVersionLabel: ${q(s.objectVersionLabel)}`);
    if (s.jmesPath !== undefined && s.jmesPath.length > 0) {
      lines.push('  jmesPath:');
      for (const j of s.jmesPath)
        lines.push(`    - path: ${q(j.path)}`, `      objectAlias: ${q(j.objectAlias)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The names mounted files (and sync sources) go by: alias or object name, plus jmesPath aliases. */
function mountedNames(secrets: readonly SecretObject[]): string[] {
  return secrets.flatMap((s) => [
    s.objectAlias ?? s.objectName,
    ...(s.jmesPath ?? []).map((j) => j.objectAlias),
  ]);
}

function validate(props: SecretProviderClassProps): void {
  const where = `SecretProviderClass ${props.name}`;
  requireFormat('SecretProviderClass', 'name', DNS_SUBDOMAIN, props.name);
  requireFormat(where, 'namespace', DNS_LABEL, props.namespace);
  if (
    props.identityMode !== undefined &&
    !(IDENTITY_MODES as readonly string[]).includes(props.identityMode)
  ) {
    throw new Error(
      `${where} identityMode: "${props.identityMode}" not allowed; use ${IDENTITY_MODES.join(' or ')}`,
    );
  }
  if (props.secrets.length === 0) {
    throw new Error(`${where} secrets: [] — give at least one secret or parameter to mount`);
  }
  props.secrets.forEach((s, i) => {
    if (s.objectName.trim() === '')
      throw new Error(`${where} secrets[${i}].objectName: "" must not be empty`);
    if (!(SECRET_OBJECT_TYPES as readonly string[]).includes(s.objectType)) {
      throw new Error(
        `${where} secrets[${i}].objectType: "${s.objectType}" not allowed; use ${SECRET_OBJECT_TYPES.join(' or ')}`,
      );
    }
    if (s.jmesPath !== undefined && s.objectType !== 'secretsmanager') {
      throw new Error(
        `${where} secrets[${i}].jmesPath: only secretsmanager objects hold JSON to select from`,
      );
    }
    for (const j of s.jmesPath ?? []) {
      if (j.path.trim() === '' || j.objectAlias.trim() === '') {
        throw new Error(`${where} secrets[${i}].jmesPath: path and objectAlias must not be empty`);
      }
    }
  });
  const names = mountedNames(props.secrets);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw new Error(`${where} secrets: "${duplicate}" is mounted twice; give one of them an objectAlias`);
  }
  const sync = props.syncToKubernetesSecret;
  if (sync === undefined) return;
  requireFormat(where, 'syncToKubernetesSecret.secretName', DNS_SUBDOMAIN, sync.secretName);
  if (sync.data.length === 0) {
    throw new Error(`${where} syncToKubernetesSecret.data: [] — name at least one key to sync`);
  }
  for (const d of sync.data) {
    if (!SECRET_KEY.test(d.key)) {
      throw new Error(
        `${where} syncToKubernetesSecret.data key: "${d.key}" must be of a-z, A-Z, 0-9, -, _ and .`,
      );
    }
    if (!names.includes(d.objectName)) {
      throw new Error(
        `${where} syncToKubernetesSecret.data objectName: "${d.objectName}" is not mounted; mounted: ${names.join(', ')}`,
      );
    }
  }
}
