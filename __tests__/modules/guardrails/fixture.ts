/**
 * A small platform built straight from provider classes, clean under every guardrail in prod: a state bucket, an
 * EKS cluster with a node group, the cart's table/ECR/role/association, and the cart's Kubernetes workload in its
 * own stack. Tests break one thing at a time (options for lists, `addOverride` for attributes) and expect exactly
 * that rule to fire.
 */
import { S3Backend, TerraformStack, Testing, type App } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import {
  DeploymentV1,
  type DeploymentV1SpecTemplateSpecContainerEnv,
  type DeploymentV1SpecTemplateSpecContainerResources,
  type DeploymentV1SpecTemplateSpecContainerSecurityContext,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { policyDocument, type PolicyStatement } from '../../../modules/iam-policy';
import { CUSTOMER_INDEX_NAME, ENV, REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';

export const REGION = 'us-east-1';
export const TABLE_NAME = 'retail-prod-Items';
export const NAMESPACE = 'carts';
export const SERVICE_ACCOUNT = 'carts';
const OIDC_ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

export interface FixtureOptions {
  /** ConfigMap data merged over the good data; `undefined` removes a key. */
  readonly configData?: Readonly<Record<string, string | undefined>>;
  /** Extra env entries of the cart container. */
  readonly containerEnv?: DeploymentV1SpecTemplateSpecContainerEnv[];
  /** Merged over the cart container's hardened security context. */
  readonly securityContext?: DeploymentV1SpecTemplateSpecContainerSecurityContext;
  /** Replaces the cart container's resources. */
  readonly resources?: DeploymentV1SpecTemplateSpecContainerResources;
  /** @default 'pod-identity' */
  readonly identity?: 'pod-identity' | 'irsa';
  /** Namespace/service account the association (or the IRSA trust) names. */
  readonly associationNamespace?: string;
  readonly associationServiceAccount?: string;
  /** Replaces the role's inline statements. */
  readonly statements?: (table: DynamodbTable) => PolicyStatement[];
  /** Managed policies attached to the role. */
  readonly managedPolicyArns?: readonly string[];
  /** @default true */
  readonly nodeGroupLaunchTemplate?: boolean;
  /** The region the table (and its key) is created in, through an aliased provider. @default REGION */
  readonly tableRegion?: string;
  /** The state bucket's default encryption. @default 'aws:kms' */
  readonly sseAlgorithm?: string;
}

export interface Fixture {
  readonly app: App;
  readonly stacks: {
    state: TerraformStack;
    cluster: TerraformStack;
    cart: TerraformStack;
    workload: TerraformStack;
  };
  readonly cartProvider: AwsProvider;
  readonly kubernetesProvider: KubernetesProvider;
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly bucketPolicy: S3BucketPolicy;
  readonly cluster: EksCluster;
  readonly launchTemplate: LaunchTemplate;
  readonly nodeGroup: EksNodeGroup;
  readonly table: DynamodbTable;
  readonly repository: EcrRepository;
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;
  readonly association?: EksPodIdentityAssociation;
  readonly serviceAccount: ServiceAccountV1;
  readonly configMap: ConfigMapV1;
  readonly deployment: DeploymentV1;
}

export function buildFixture(options: FixtureOptions = {}): Fixture {
  const app = Testing.app();
  const identity = options.identity ?? 'pod-identity';
  const associationNamespace = options.associationNamespace ?? NAMESPACE;
  const associationServiceAccount = options.associationServiceAccount ?? SERVICE_ACCOUNT;

  // state: the remote-state bucket.
  const state = new TerraformStack(app, 'state');
  new AwsProvider(state, 'aws', { region: REGION });
  const bucket = new S3Bucket(state, 'bucket', { bucket: 'retail-prod-tfstate' });
  const versioning = new S3BucketVersioningA(state, 'versioning', {
    bucket: bucket.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  const encryption = new S3BucketServerSideEncryptionConfigurationA(state, 'encryption', {
    bucket: bucket.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: options.sseAlgorithm ?? 'aws:kms' },
        bucketKeyEnabled: true,
      },
    ],
  });
  const publicAccessBlock = new S3BucketPublicAccessBlock(state, 'public-access-block', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const bucketPolicy = new S3BucketPolicy(state, 'tls-only', {
    bucket: bucket.id,
    policy: policyDocument([
      {
        effect: 'Deny',
        principals: { AWS: '*' },
        actions: ['s3:*'],
        resources: [bucket.arn, `${bucket.arn}/*`],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]),
  });

  // cluster: EKS with a node group on an IMDSv2 launch template.
  const clusterStack = new TerraformStack(app, 'cluster');
  new AwsProvider(clusterStack, 'aws', { region: REGION });
  const secretsKey = new KmsKey(clusterStack, 'secrets-key', { enableKeyRotation: true });
  const cluster = new EksCluster(clusterStack, 'eks', {
    name: 'retail-prod-eks',
    roleArn: 'arn:aws:iam::123456789012:role/retail-prod-eks-cluster',
    vpcConfig: {
      subnetIds: ['subnet-1', 'subnet-2'],
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
    },
    encryptionConfig: { resources: ['secrets'], provider: { keyArn: secretsKey.arn } },
    enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
  });
  const launchTemplate = new LaunchTemplate(clusterStack, 'launch-template', {
    namePrefix: 'general-',
    metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
  });
  const nodeGroup = new EksNodeGroup(clusterStack, 'node-group', {
    clusterName: cluster.name,
    nodeGroupName: 'general',
    nodeRoleArn: 'arn:aws:iam::123456789012:role/retail-prod-eks-node',
    subnetIds: ['subnet-1', 'subnet-2'],
    scalingConfig: { desiredSize: 2, minSize: 2, maxSize: 3 },
    ...((options.nodeGroupLaunchTemplate ?? true) && {
      launchTemplate: { id: launchTemplate.id, version: '$Latest' },
    }),
  });

  // cart: table, image repository, the cart's role and its Pod Identity association.
  const cart = new TerraformStack(app, 'cart');
  const cartProvider = new AwsProvider(cart, 'aws', { region: REGION });
  const tableProvider =
    options.tableRegion === undefined
      ? undefined
      : new AwsProvider(cart, 'aws-table', { region: options.tableRegion, alias: 'table' });
  const tableKey = new KmsKey(cart, 'table-key', { enableKeyRotation: true, provider: tableProvider });
  const table = new DynamodbTable(cart, 'table', {
    provider: tableProvider,
    name: TABLE_NAME,
    billingMode: 'PAY_PER_REQUEST',
    hashKey: 'id',
    attribute: [
      { name: 'id', type: 'S' },
      { name: 'customerId', type: 'S' },
    ],
    globalSecondaryIndex: [{ name: CUSTOMER_INDEX_NAME, hashKey: 'customerId', projectionType: 'ALL' }],
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: true,
    serverSideEncryption: { enabled: true, kmsKeyArn: tableKey.arn },
  });
  const repository = new EcrRepository(cart, 'repository', {
    name: 'retail-store/cart',
    imageTagMutability: 'IMMUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
  });
  const role = new IamRole(cart, 'role', {
    name: 'retail-prod-cart',
    assumeRolePolicy: policyDocument([
      identity === 'pod-identity'
        ? { principals: { Service: 'pods.eks.amazonaws.com' }, actions: ['sts:AssumeRole', 'sts:TagSession'] }
        : {
            principals: { Federated: `arn:aws:iam::123456789012:oidc-provider/${OIDC_ISSUER}` },
            actions: ['sts:AssumeRoleWithWebIdentity'],
            conditions: {
              StringEquals: {
                [`${OIDC_ISSUER}:sub`]: `system:serviceaccount:${associationNamespace}:${associationServiceAccount}`,
                [`${OIDC_ISSUER}:aud`]: 'sts.amazonaws.com',
              },
            },
          },
    ]),
  });
  const statements = options.statements?.(table) ?? [
    { actions: REQUIRED_DYNAMODB_ACTIONS, resources: [table.arn, `${table.arn}/index/*`] },
  ];
  const rolePolicy = new IamRolePolicy(cart, 'policy', {
    role: role.id,
    name: 'least-privilege',
    policy: policyDocument(statements),
  });
  (options.managedPolicyArns ?? []).forEach((policyArn, i) => {
    new IamRolePolicyAttachment(cart, `managed-${i}`, { role: role.name, policyArn });
  });
  const association =
    identity === 'pod-identity'
      ? new EksPodIdentityAssociation(cart, 'association', {
          clusterName: 'retail-prod-eks',
          namespace: associationNamespace,
          serviceAccount: associationServiceAccount,
          roleArn: role.arn,
        })
      : undefined;

  // cart-workload: the cart's namespace, ServiceAccount, ConfigMap and Deployment.
  const workload = new TerraformStack(app, 'cart-workload');
  const kubernetesProvider = new KubernetesProvider(workload, 'kubernetes', {
    host: 'https://example.eks.amazonaws.com',
    exec: [
      {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', 'retail-prod-eks'],
      },
    ],
  });
  const namespace = new NamespaceV1(workload, 'namespace', { metadata: { name: NAMESPACE } });
  const serviceAccount = new ServiceAccountV1(workload, 'service-account', {
    metadata: {
      name: SERVICE_ACCOUNT,
      namespace: namespace.metadata.name,
      annotations: identity === 'irsa' ? { 'eks.amazonaws.com/role-arn': role.arn } : {},
    },
  });
  const data: Record<string, string> = {
    [ENV.provider]: 'dynamodb',
    [ENV.tableName]: table.name,
    [ENV.region]: REGION,
  };
  for (const [key, value] of Object.entries(options.configData ?? {})) {
    if (value === undefined) delete data[key];
    else data[key] = value;
  }
  const configMap = new ConfigMapV1(workload, 'config', {
    metadata: { name: 'carts', namespace: namespace.metadata.name },
    data,
  });
  const deployment = new DeploymentV1(workload, 'deployment', {
    metadata: { name: 'carts', namespace: namespace.metadata.name },
    spec: {
      selector: { matchLabels: { app: 'carts' } },
      template: {
        metadata: { labels: { app: 'carts' } },
        spec: {
          serviceAccountName: serviceAccount.metadata.name,
          securityContext: { runAsNonRoot: true, runAsUser: '1000' },
          container: [
            {
              name: 'carts',
              image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/retail-store/cart:1.0.0',
              envFrom: [{ configMapRef: { name: configMap.metadata.name } }],
              env: options.containerEnv ?? [],
              resources: options.resources ?? {
                requests: { cpu: '250m', memory: '512Mi' },
                limits: { cpu: '1', memory: '512Mi' },
              },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: '1000',
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                privileged: false,
                capabilities: { drop: ['ALL'] },
                ...options.securityContext,
              },
            },
          ],
        },
      },
    },
  });

  return {
    app,
    stacks: { state, cluster: clusterStack, cart, workload },
    cartProvider,
    kubernetesProvider,
    bucket,
    versioning,
    encryption,
    publicAccessBlock,
    bucketPolicy,
    cluster,
    launchTemplate,
    nodeGroup,
    table,
    repository,
    role,
    rolePolicy,
    association,
    serviceAccount,
    configMap,
    deployment,
  };
}

/** An S3 backend pointed at a local emulator with dummy keys (what the emulator environment generates). */
export function addEmulatorBackend(stack: TerraformStack): S3Backend {
  return new S3Backend(stack, {
    bucket: 'retail-prod-tfstate',
    key: 'prod/cart.tfstate',
    region: REGION,
    accessKey: 'emulator',
    secretKey: 'emulator',
    endpoints: { s3: 'http://127.0.0.1:5000' },
    skipCredentialsValidation: true,
  });
}
