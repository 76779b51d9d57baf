import { describe, expect, test } from 'vitest';
import { S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import {
  AlbIngress,
  albIngressAnnotations,
  type AlbIngressProps,
} from '../../../modules/kubernetes/alb-ingress';
import { Service } from '../../../modules/kubernetes/service';
import { eksCartEnvironment } from '../../../modules/cart-environment';
import { CartWorkload } from '../../../modules/cart-workload';
import {
  GUARDRAIL_POLICIES,
  GuardrailError,
  RULES,
  applyGuardrails,
  type Finding,
} from '../../../modules/guardrails';
import { CUSTOMER_INDEX_NAME, ENV, REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';
import {
  REGION,
  TABLE_NAME,
  addEmulatorBackend,
  buildFixture,
  type Fixture,
  type FixtureOptions,
} from './fixture';
import { mountCartSecrets, secretProviderClass } from './corpus/helpers';

interface Variant {
  readonly options?: FixtureOptions;
  readonly tweak?: (fixture: Fixture) => void;
}

interface BadCase {
  /** Rule id that must fire, and only it. */
  readonly rule: string;
  /** What is wrong, for the test name. */
  readonly what: string;
  /** Construct path the message must name. */
  readonly path: string;
  readonly bad: Variant;
  /** The same thing done right. */
  readonly good: Variant;
}

const prod = GUARDRAIL_POLICIES.production;

/** Errors of a prod guardrails pass ([] when it passes). */
function prodErrors(variant: Variant): { errors: Finding[]; error?: GuardrailError } {
  const fixture = buildFixture(variant.options);
  variant.tweak?.(fixture);
  try {
    applyGuardrails(fixture.app, prod);
    return { errors: [] };
  } catch (error) {
    if (!(error instanceof GuardrailError)) throw error;
    return { errors: error.report.errors, error };
  }
}

const onlyActions = (actions: readonly string[], resources: (arn: string) => string[]) => ({
  statements: (table: { arn: string }) => [{ actions, resources: resources(table.arn) }],
});
const bothArns = (arn: string) => [arn, `${arn}/index/*`];

const CASES: BadCase[] = [
  // CART001 static keys
  {
    rule: 'CART001',
    what: 'a ConfigMap carries AWS_ACCESS_KEY_ID',
    path: 'cart-workload/config',
    bad: { options: { configData: { [ENV.accessKeyId]: 'AKIAIOSFODNN7EXAMPLE' } } },
    good: { options: { configData: { LOG_LEVEL: 'info' } } },
  },
  {
    rule: 'CART001',
    what: 'a container reads AWS_SECRET_ACCESS_KEY from a Secret',
    path: 'cart-workload/deployment',
    bad: {
      options: {
        containerEnv: [
          { name: ENV.secretAccessKey, valueFrom: { secretKeyRef: { name: 'keys', key: 'secret' } } },
        ],
      },
    },
    good: { options: { containerEnv: [{ name: 'LOG_LEVEL', value: 'info' }] } },
  },
  {
    rule: 'CART001',
    what: 'a Secret holds AWS_ACCESS_KEY_ID',
    path: 'cart-workload/aws-keys',
    bad: {
      tweak: (f) =>
        new SecretV1(f.stacks.workload, 'aws-keys', {
          metadata: { name: 'aws-keys', namespace: 'carts' },
          data: { [ENV.accessKeyId]: 'AKIAIOSFODNN7EXAMPLE' },
        }),
    },
    good: {
      tweak: (f) =>
        new SecretV1(f.stacks.workload, 'aws-keys', {
          metadata: { name: 'aws-keys', namespace: 'carts' },
          data: { API_TOKEN: 'not-an-aws-key' },
        }),
    },
  },
  // CART002 endpoint override
  {
    rule: 'CART002',
    what: 'the ConfigMap points the cart at DynamoDB Local',
    path: 'cart-workload/config',
    bad: { options: { configData: { [ENV.endpoint]: 'http://dynamodb:8000' } } },
    good: { options: { configData: { [ENV.endpoint]: '' } } },
  },
  {
    rule: 'CART002',
    what: 'a container sets AWS_ENDPOINT_URL_DYNAMODB',
    path: 'cart-workload/deployment',
    bad: {
      options: { containerEnv: [{ name: 'AWS_ENDPOINT_URL_DYNAMODB', value: 'http://localhost:8000' }] },
    },
    good: { options: { containerEnv: [{ name: 'AWS_MAX_ATTEMPTS', value: '3' }] } },
  },
  // CART003 create table
  {
    rule: 'CART003',
    what: 'the ConfigMap turns create-table on',
    path: 'cart-workload/config',
    bad: { options: { configData: { [ENV.createTable]: 'true' } } },
    good: { options: { configData: { [ENV.createTable]: 'false' } } },
  },
  // CART004 table and region
  {
    rule: 'CART004',
    what: 'the ConfigMap names the guide\'s "Items" while the stacks create another table',
    path: 'cart-workload/config',
    bad: { options: { configData: { [ENV.tableName]: 'Items' } } },
    good: { options: { configData: { [ENV.tableName]: TABLE_NAME } } },
  },
  {
    rule: 'CART004',
    what: 'no table name is set, so the cart falls back to "Items"',
    path: 'cart-workload/deployment',
    bad: { options: { configData: { [ENV.tableName]: undefined } } },
    good: {},
  },
  {
    rule: 'CART004',
    what: "AWS_REGION is not the table's region",
    path: 'cart-workload/config',
    bad: { options: { configData: { [ENV.region]: 'eu-west-1' } } },
    good: { options: { configData: { [ENV.region]: REGION } } },
  },
  {
    rule: 'CART004',
    what: 'the table is created in another region than the cart is told',
    path: 'cart-workload/config',
    bad: { options: { tableRegion: 'eu-west-1' } },
    good: { options: { tableRegion: 'eu-west-1', configData: { [ENV.region]: 'eu-west-1' } } },
  },
  // CART005 identity binding
  {
    rule: 'CART005',
    what: 'the association names service account "cart", the pods run as "carts"',
    path: 'cart-workload/deployment',
    bad: { options: { associationServiceAccount: 'cart' } },
    good: { options: { associationServiceAccount: 'carts' } },
  },
  {
    rule: 'CART005',
    what: 'the association names namespace "default"',
    path: 'cart/association',
    bad: { options: { associationNamespace: 'default' } },
    good: { options: { associationNamespace: 'carts' } },
  },
  {
    rule: 'CART005',
    what: 'the IRSA role trusts another service account than the annotated one',
    path: 'cart-workload/service-account',
    bad: { options: { identity: 'irsa', associationServiceAccount: 'cart' } },
    good: { options: { identity: 'irsa' } },
  },
  {
    rule: 'CART005',
    what: 'the IRSA annotation is missing',
    path: 'cart-workload/deployment',
    bad: {
      options: { identity: 'irsa' },
      tweak: (f) => f.serviceAccount.addOverride('metadata.annotations', undefined),
    },
    good: { options: { identity: 'irsa' } },
  },
  // CART006 missing actions
  {
    rule: 'CART006',
    what: 'the policy grants the table but not its index',
    path: 'cart/role',
    bad: { options: onlyActions(REQUIRED_DYNAMODB_ACTIONS, (arn) => [arn]) },
    good: { options: onlyActions(REQUIRED_DYNAMODB_ACTIONS, bothArns) },
  },
  {
    rule: 'CART006',
    what: 'the policy lacks dynamodb:UpdateItem',
    path: 'cart/role',
    bad: {
      options: onlyActions(
        ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        bothArns,
      ),
    },
    good: {
      options: onlyActions(
        ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:*Item', 'dynamodb:BatchWriteItem'],
        bothArns,
      ),
    },
  },
  {
    rule: 'CART006',
    what: 'a Deny statement takes DeleteItem away',
    path: 'cart/role',
    bad: {
      options: {
        statements: (t) => [
          { actions: REQUIRED_DYNAMODB_ACTIONS, resources: bothArns(t.arn) },
          { effect: 'Deny', actions: ['dynamodb:DeleteItem'], resources: [t.arn] },
        ],
      },
    },
    good: {
      options: {
        statements: (t) => [
          { actions: REQUIRED_DYNAMODB_ACTIONS, resources: bothArns(t.arn) },
          { effect: 'Deny', actions: ['dynamodb:DeleteTable'], resources: [t.arn] },
        ],
      },
    },
  },
  {
    rule: 'CART006',
    what: 'the policy names the index by a name the table does not have',
    path: 'cart/role',
    bad: { options: onlyActions(REQUIRED_DYNAMODB_ACTIONS, (arn) => [arn, `${arn}/index/idx_customer`]) },
    good: {
      options: onlyActions(REQUIRED_DYNAMODB_ACTIONS, (arn) => [arn, `${arn}/index/${CUSTOMER_INDEX_NAME}`]),
    },
  },
  // CART007 wildcards
  {
    rule: 'CART007',
    what: 'the policy allows dynamodb:*',
    path: 'cart/policy',
    bad: { options: onlyActions(['dynamodb:*'], bothArns) },
    good: { options: onlyActions(REQUIRED_DYNAMODB_ACTIONS, bothArns) },
  },
  {
    rule: 'CART007',
    what: 'the policy allows the actions on Resource "*"',
    path: 'cart/policy',
    bad: { options: onlyActions(REQUIRED_DYNAMODB_ACTIONS, () => ['*']) },
    good: { options: onlyActions(REQUIRED_DYNAMODB_ACTIONS, bothArns) },
  },
  {
    rule: 'CART007',
    what: "AmazonDynamoDBFullAccess is attached (the guide's shortcut)",
    path: 'cart/managed-0',
    bad: { options: { managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'] } },
    good: { options: { managedPolicyArns: ['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'] } },
  },
  {
    rule: 'CART007',
    what: "the instances' table pattern reaches a table that is not a cart's",
    path: 'cart/policy',
    bad: {
      options: onlyActions(REQUIRED_DYNAMODB_ACTIONS, (arn) => [
        ...bothArns(arn),
        ...bothArns(INSTANCE_TABLES),
      ]),
      tweak: (f) => plainTable(f, 'retail-prod-eks-carts-audit'),
    },
    good: {
      options: onlyActions(REQUIRED_DYNAMODB_ACTIONS, (arn) => [
        ...bothArns(arn),
        ...bothArns(INSTANCE_TABLES),
      ]),
      tweak: (f) => plainTable(f, 'retail-prod-eks-audit'),
    },
  },
  // CART008 IMDS
  {
    rule: 'CART008',
    what: 'the launch template has hop limit 2',
    path: 'cluster/launch-template',
    bad: { tweak: (f) => f.launchTemplate.addOverride('metadata_options.http_put_response_hop_limit', 2) },
    good: { tweak: (f) => f.launchTemplate.addOverride('metadata_options.http_put_response_hop_limit', 1) },
  },
  {
    rule: 'CART008',
    what: 'the launch template allows IMDSv1',
    path: 'cluster/launch-template',
    bad: { tweak: (f) => f.launchTemplate.addOverride('metadata_options.http_tokens', 'optional') },
    good: { tweak: (f) => f.launchTemplate.addOverride('metadata_options.http_endpoint', 'disabled') },
  },
  {
    rule: 'CART008',
    what: 'the node group has no launch template',
    path: 'cluster/node-group',
    bad: { options: { nodeGroupLaunchTemplate: false } },
    good: { options: { nodeGroupLaunchTemplate: true } },
  },
  // CART009 emulator override
  {
    rule: 'CART009',
    what: 'an AWS provider points at the emulator with dummy keys',
    path: 'state/emulator',
    bad: {
      tweak: (f) =>
        new AwsProvider(f.stacks.state, 'emulator', {
          alias: 'emulator',
          region: REGION,
          accessKey: 'emulator',
          secretKey: 'emulator',
          skipCredentialsValidation: true,
          endpoints: [{ dynamodb: 'http://127.0.0.1:5000', s3: 'http://127.0.0.1:5000' }],
        }),
    },
    good: {
      tweak: (f) => new AwsProvider(f.stacks.state, 'emulator', { alias: 'emulator', region: 'us-west-2' }),
    },
  },
  {
    rule: 'CART009',
    what: 'the S3 backend points at the emulator',
    path: 'cart/backend',
    bad: { tweak: (f) => addEmulatorBackend(f.stacks.cart) },
    good: {
      tweak: (f) =>
        new S3Backend(f.stacks.cart, {
          bucket: 'retail-prod-tfstate',
          key: 'prod/cart.tfstate',
          region: REGION,
        }),
    },
  },
  // CART010 static Kubernetes token
  {
    rule: 'CART010',
    what: 'the kubernetes provider uses an aws_eks_cluster_auth token',
    path: 'cart-workload/kubernetes',
    bad: {
      tweak: (f) => f.kubernetesProvider.addOverride('token', '${data.aws_eks_cluster_auth.cluster.token}'),
    },
    good: {},
  },
  // CART101-104 state bucket
  {
    rule: 'CART101',
    what: 'bucket versioning is suspended',
    path: 'state/bucket',
    bad: { tweak: (f) => f.versioning.addOverride('versioning_configuration.status', 'Suspended') },
    good: { tweak: (f) => f.versioning.addOverride('versioning_configuration.status', 'Enabled') },
  },
  {
    rule: 'CART102',
    what: 'the bucket is encrypted with SSE-S3, not KMS',
    path: 'state/bucket',
    bad: { options: { sseAlgorithm: 'AES256' } },
    good: { options: { sseAlgorithm: 'aws:kms:dsse' } },
  },
  {
    rule: 'CART103',
    what: 'the public access block leaves restrict_public_buckets off',
    path: 'state/bucket',
    bad: { tweak: (f) => f.publicAccessBlock.addOverride('restrict_public_buckets', false) },
    good: {},
  },
  {
    rule: 'CART104',
    what: 'the bucket policy does not deny plain HTTP',
    path: 'state/bucket',
    bad: {
      tweak: (f) =>
        f.bucketPolicy.addOverride(
          'policy',
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' }],
          }),
        ),
    },
    good: {},
  },
  {
    rule: 'CART104',
    what: 'a second bucket policy replaces the TLS-only one',
    path: 'state/bucket',
    bad: {
      tweak: (f) =>
        new S3BucketPolicy(f.stacks.state, 'second', {
          bucket: f.bucket.id,
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' }],
          }),
        }),
    },
    good: {},
  },
  {
    rule: 'CART105',
    what: 'the prod state bucket has force_destroy',
    path: 'state/bucket',
    bad: {
      tweak: (f) => {
        addStateBackend(f);
        f.bucket.addOverride('force_destroy', true);
      },
    },
    good: {
      tweak: (f) => {
        addStateBackend(f);
        f.bucket.addOverride('force_destroy', false);
      },
    },
  },
  // CART111-113 EKS
  {
    rule: 'CART111',
    what: 'secrets are not encrypted with KMS',
    path: 'cluster/eks',
    bad: { tweak: (f) => f.cluster.addOverride('encryption_config', undefined) },
    good: {},
  },
  {
    rule: 'CART112',
    what: 'control-plane logging is off',
    path: 'cluster/eks',
    bad: { tweak: (f) => f.cluster.addOverride('enabled_cluster_log_types', undefined) },
    good: {},
  },
  {
    rule: 'CART113',
    what: 'the public endpoint is open to 0.0.0.0/0',
    path: 'cluster/eks',
    bad: { tweak: (f) => f.cluster.addOverride('vpc_config.public_access_cidrs', ['0.0.0.0/0']) },
    good: {
      tweak: (f) => {
        f.cluster.addOverride('vpc_config.public_access_cidrs', ['0.0.0.0/0']);
        f.cluster.addOverride('vpc_config.endpoint_public_access', false);
      },
    },
  },
  // CART121-123 DynamoDB
  {
    rule: 'CART121',
    what: 'point-in-time recovery is off',
    path: 'cart/table',
    bad: { tweak: (f) => f.table.addOverride('point_in_time_recovery.enabled', false) },
    good: {},
  },
  {
    rule: 'CART122',
    what: 'deletion protection is off in prod',
    path: 'cart/table',
    bad: { tweak: (f) => f.table.addOverride('deletion_protection_enabled', false) },
    good: {},
  },
  {
    rule: 'CART123',
    what: 'the table uses only the AWS-owned key in prod',
    path: 'cart/table',
    bad: { tweak: (f) => f.table.addOverride('server_side_encryption', { enabled: false }) },
    good: { tweak: (f) => f.table.addOverride('server_side_encryption', { enabled: true }) },
  },
  // CART131-132 ECR
  {
    rule: 'CART131',
    what: 'images are not scanned on push',
    path: 'cart/repository',
    bad: { tweak: (f) => f.repository.addOverride('image_scanning_configuration.scan_on_push', false) },
    good: {},
  },
  {
    rule: 'CART132',
    what: 'tags are mutable',
    path: 'cart/repository',
    bad: { tweak: (f) => f.repository.addOverride('image_tag_mutability', 'MUTABLE') },
    good: {},
  },
  // CART141-145 containers
  {
    rule: 'CART141',
    what: 'the container runs as uid 0',
    path: 'cart-workload/deployment',
    bad: { options: { securityContext: { runAsUser: '0' } } },
    good: { options: { securityContext: { runAsUser: '10001' } } },
  },
  {
    rule: 'CART142',
    what: 'the root filesystem is writable',
    path: 'cart-workload/deployment',
    bad: { options: { securityContext: { readOnlyRootFilesystem: false } } },
    good: { options: { securityContext: { readOnlyRootFilesystem: true } } },
  },
  {
    rule: 'CART143',
    what: 'the container is privileged',
    path: 'cart-workload/deployment',
    bad: { options: { securityContext: { privileged: true } } },
    good: { options: { securityContext: { privileged: false } } },
  },
  {
    rule: 'CART144',
    what: 'privilege escalation is allowed',
    path: 'cart-workload/deployment',
    bad: { options: { securityContext: { allowPrivilegeEscalation: true } } },
    good: { options: { securityContext: { allowPrivilegeEscalation: false } } },
  },
  {
    rule: 'CART145',
    what: 'the container has requests but no limits',
    path: 'cart-workload/deployment',
    bad: { options: { resources: { requests: { cpu: '250m', memory: '512Mi' } } } },
    good: { options: { resources: { limits: { cpu: '500m', memory: '256Mi' } } } },
  },
  {
    rule: 'CART146',
    what: 'the memory limit is below the request',
    path: 'cart-workload/deployment',
    bad: {
      options: {
        resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '512Mi' } },
      },
    },
    good: {
      options: {
        resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      },
    },
  },
  // CART151 security groups
  {
    rule: 'CART151',
    what: 'a security group opens SSH to the internet',
    path: 'cluster/bastion',
    bad: {
      tweak: (f) =>
        new SecurityGroup(f.stacks.cluster, 'bastion', {
          ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }],
        }),
    },
    good: {
      tweak: (f) =>
        new SecurityGroup(f.stacks.cluster, 'bastion', {
          ingress: [
            { fromPort: 443, toPort: 443, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] },
            { fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['10.1.0.0/16'] },
          ],
        }),
    },
  },
  {
    rule: 'CART151',
    what: 'a security group opens every port to ::/0',
    path: 'cluster/open',
    bad: {
      tweak: (f) =>
        new SecurityGroup(f.stacks.cluster, 'open', {
          ingress: [{ fromPort: 0, toPort: 0, protocol: '-1', ipv6CidrBlocks: ['::/0'] }],
        }),
    },
    good: {
      tweak: (f) =>
        new SecurityGroup(f.stacks.cluster, 'open', {
          ingress: [{ fromPort: 80, toPort: 80, protocol: 'tcp', ipv6CidrBlocks: ['::/0'] }],
        }),
    },
  },
  // CART161-163 cross-field
  {
    rule: 'CART011',
    what: 'a GitHub Actions trust admits any repository',
    path: 'cart/github-role',
    bad: { tweak: (f) => githubRole(f, 'StringLike', 'repo:*:ref:refs/heads/main') },
    good: { tweak: (f) => githubRole(f, 'StringEquals', 'repo:acme/cart:ref:refs/heads/main') },
  },
  {
    rule: 'CART012',
    what: 'Terraform manages objects in the namespace an Argo CD Application syncs',
    path: 'cart-workload/config',
    bad: { tweak: (f) => argoApplication(f, 'carts') },
    good: { tweak: (f) => argoApplication(f, 'shop') },
  },
  {
    rule: 'CART014',
    what: "a second team's cart uses the first team's table",
    path: 'cart-workload/team-b/config',
    bad: { tweak: (f) => teamCart(f, f.table.name) },
    good: { tweak: (f) => teamCart(f, ownTable(f).name) },
  },
  {
    rule: 'CART015',
    what: 'a PodDisruptionBudget allows no eviction of the cart (minAvailable = its replicas)',
    path: 'cart-workload/budget',
    bad: { tweak: (f) => cartBudget(f, '1') },
    good: { tweak: (f) => cartBudget(f, '0') },
  },
  {
    rule: 'CART161',
    what: 'a subnet is in a zone of another region',
    path: 'cluster/subnet',
    bad: {
      tweak: (f) =>
        new Subnet(f.stacks.cluster, 'subnet', {
          vpcId: 'vpc-1',
          cidrBlock: '10.1.1.0/24',
          availabilityZone: 'eu-west-1a',
        }),
    },
    good: {
      tweak: (f) =>
        new Subnet(f.stacks.cluster, 'subnet', {
          vpcId: 'vpc-1',
          cidrBlock: '10.1.1.0/24',
          availabilityZoneId: 'use1-az4',
        }),
    },
  },
  {
    rule: 'CART162',
    what: 'the node group runs an ARM AMI on x86 instances',
    path: 'cluster/node-group',
    bad: { tweak: (f) => f.nodeGroup.addOverride('ami_type', 'BOTTLEROCKET_ARM_64') },
    good: {
      tweak: (f) => {
        f.nodeGroup.addOverride('ami_type', 'BOTTLEROCKET_ARM_64');
        f.nodeGroup.addOverride('instance_types', ['c7g.large']);
      },
    },
  },
  {
    rule: 'CART163',
    what: "the ALB listener's certificate is in another region",
    path: 'cluster/listener',
    bad: { tweak: (f) => listener(f, 'arn:aws:acm:us-west-2:123456789012:certificate/abc') },
    good: { tweak: (f) => listener(f, 'arn:aws:acm:us-east-1:123456789012:certificate/abc') },
  },
  // CART013 SecretProviderClass identity mode
  {
    rule: 'CART013',
    what: 'a SecretProviderClass asks for IRSA (usePodIdentity "false") but the pods have a Pod Identity association',
    path: 'cart-workload/secret-provider-class',
    bad: { tweak: (f) => mountWith(f, 'false') },
    good: { tweak: (f) => mountWith(f, 'true') },
  },
  {
    rule: 'CART013',
    what: 'a SecretProviderClass asks for Pod Identity but the service account has the IRSA annotation',
    path: 'cart-workload/secret-provider-class',
    bad: { options: { identity: 'irsa' }, tweak: (f) => mountWith(f, 'true') },
    good: { options: { identity: 'irsa' }, tweak: (f) => mountWith(f, 'false') },
  },
  // CART164-165 ingress
  {
    rule: 'CART164',
    what: 'an internet-facing Ingress listens on HTTP only',
    path: 'cart-workload/ingress',
    bad: { tweak: (f) => ingress(f, { scheme: 'internet-facing' }) },
    good: { tweak: (f) => ingress(f, { scheme: 'internet-facing', certificateArn: CERTIFICATE }) },
  },
  {
    rule: 'CART164',
    what: 'an internet-facing Ingress serves HTTP next to HTTPS without a redirect',
    path: 'cart-workload/ingress',
    bad: {
      tweak: (f) => {
        const annotations = albIngressAnnotations({ scheme: 'internet-facing', certificateArn: CERTIFICATE });
        delete annotations['alb.ingress.kubernetes.io/ssl-redirect'];
        ingress(f, { scheme: 'internet-facing' }).addOverride('metadata.annotations', annotations);
      },
    },
    // An internal ALB on plain HTTP is not this rule's business.
    good: { tweak: (f) => ingress(f, { scheme: 'internal' }) },
  },
  {
    rule: 'CART165',
    what: 'an Ingress routes every path, /actuator included',
    path: 'cart-workload/ingress',
    bad: { tweak: (f) => ingress(f, { certificateArn: CERTIFICATE, paths: ['/'] }) },
    good: { tweak: (f) => ingress(f, { certificateArn: CERTIFICATE, paths: ['/carts'] }) },
  },
  {
    rule: 'CART165',
    what: 'an Ingress routes /topology next to the API',
    path: 'cart-workload/ingress',
    bad: { tweak: (f) => ingress(f, { certificateArn: CERTIFICATE, paths: ['/carts', '/topology'] }) },
    good: { tweak: (f) => ingress(f, { certificateArn: CERTIFICATE, paths: ['/carts', '/carts/'] }) },
  },
];

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';

/** The cart's pods mount an ASCP SecretProviderClass with the given usePodIdentity. */
function mountWith(f: Fixture, usePodIdentity: string): void {
  secretProviderClass(f.stacks.workload, 'secret-provider-class', usePodIdentity);
  mountCartSecrets(f);
}

/** An ALB Ingress in front of a Service of the workload stack (paths default to the cart API's). */
function ingress(f: Fixture, props: Partial<AlbIngressProps>): AlbIngress {
  const backend = new Service(f.stacks.workload, 'service', {
    name: 'carts',
    namespace: 'carts',
    selector: { app: 'carts' },
    ports: [{ name: 'http', port: 80 }],
  });
  return new AlbIngress(f.stacks.workload, 'ingress', {
    name: 'carts',
    namespace: 'carts',
    backend,
    paths: ['/carts'],
    ...props,
  });
}

/** The shared role's pattern of the team instances' tables (docs/cart.md). */
const INSTANCE_TABLES = `arn:aws:dynamodb:${REGION}:123456789012:table/retail-prod-eks-carts-*`;

/** A table without the cart's index (an audit log, say), protected as prod wants every table. */
function plainTable(f: Fixture, name: string): DynamodbTable {
  return new DynamodbTable(f.stacks.cart, 'plain-table', {
    name,
    billingMode: 'PAY_PER_REQUEST',
    hashKey: 'pk',
    attribute: [{ name: 'pk', type: 'S' }],
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: true,
    serverSideEncryption: { enabled: true, kmsKeyArn: f.table.serverSideEncryption.kmsKeyArn },
  });
}

/** A second team's cart in namespace `carts-b` on the fixture's role, reading `tableName`. */
function teamCart(f: Fixture, tableName: string): CartWorkload {
  new EksPodIdentityAssociation(f.stacks.cart, 'association-b', {
    clusterName: 'retail-prod-eks',
    namespace: 'carts-b',
    serviceAccount: 'carts',
    roleArn: f.role.arn,
  });
  return new CartWorkload(f.stacks.workload, 'team-b', {
    namespace: 'carts-b',
    serviceAccountName: 'carts',
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/retail-store/cart:1.0.0',
    environment: eksCartEnvironment({ region: REGION, tableName }),
  });
}

/** Team b's own table, as the fixture's, and the role's policy granting both tables. */
function ownTable(f: Fixture): DynamodbTable {
  const table = new DynamodbTable(f.stacks.cart, 'table-b', {
    name: `${TABLE_NAME}-b`,
    billingMode: 'PAY_PER_REQUEST',
    hashKey: 'id',
    attribute: [
      { name: 'id', type: 'S' },
      { name: 'customerId', type: 'S' },
    ],
    globalSecondaryIndex: [{ name: CUSTOMER_INDEX_NAME, hashKey: 'customerId', projectionType: 'ALL' }],
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: true,
    serverSideEncryption: { enabled: true, kmsKeyArn: f.table.serverSideEncryption.kmsKeyArn },
  });
  const arns = [f.table.arn, table.arn].flatMap(bothArns);
  f.rolePolicy.addOverride(
    'policy',
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: [...REQUIRED_DYNAMODB_ACTIONS], Resource: arns }],
    }),
  );
  return table;
}

/** An Argo CD Application syncing `namespace` with prune and self-heal. */
function argoApplication(f: Fixture, namespace: string): Manifest {
  return new Manifest(f.stacks.workload, 'application', {
    manifest: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'carts', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://github.com/acme/cart.git', targetRevision: 'main', path: 'deploy' },
        destination: { server: 'https://kubernetes.default.svc', namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    },
  });
}

/** A role trusted by GitHub Actions' OIDC provider with one `sub` condition. */
function githubRole(f: Fixture, operator: string, sub: string): IamRole {
  const provider = new IamOpenidConnectProvider(f.stacks.cart, 'github', {
    url: 'https://token.actions.githubusercontent.com',
    clientIdList: ['sts.amazonaws.com'],
  });
  return new IamRole(f.stacks.cart, 'github-role', {
    name: 'github-publisher',
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: provider.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            [operator]: { 'token.actions.githubusercontent.com:sub': sub },
          },
        },
      ],
    }),
  });
}

/** The state bucket as a backend of the cart stack (which makes it the state bucket). */
function addStateBackend(f: Fixture): void {
  new S3Backend(f.stacks.cart, { bucket: 'retail-prod-tfstate', key: 'prod/cart.tfstate', region: REGION });
}

function listener(f: Fixture, certificateArn: string): LbListener {
  return new LbListener(f.stacks.cluster, 'listener', {
    loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/1',
    port: 443,
    protocol: 'HTTPS',
    certificateArn,
    defaultAction: [
      { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404' } },
    ],
  });
}

/** A PodDisruptionBudget on the fixture's cart Deployment (1 replica). */
function cartBudget(f: Fixture, minAvailable: string): PodDisruptionBudgetV1 {
  return new PodDisruptionBudgetV1(f.stacks.workload, 'budget', {
    metadata: { name: 'carts', namespace: 'carts' },
    spec: { minAvailable, selector: { matchLabels: { app: 'carts' } } },
  });
}

describe('guardrails: each rule refuses its bad configuration in prod', () => {
  test('the fixture is clean in every environment', () => {
    for (const policy of Object.values(GUARDRAIL_POLICIES)) {
      const report = applyGuardrails(buildFixture().app, policy);
      expect(report.findings.map((f) => f.message)).toEqual([]);
    }
  });

  test('the cases cover every rule', () => {
    expect([...new Set(CASES.map((c) => c.rule))].sort()).toEqual(RULES.map((r) => r.id).sort());
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  test.each(CASES)('$rule fails synth when $what', ({ rule, path, bad }) => {
    const { errors, error } = prodErrors(bad);
    expect([...new Set(errors.map((e) => e.ruleId))]).toEqual([rule]);
    expect(errors.map((e) => e.path)).toContain(path);
    const finding = errors.find((e) => e.path === path) as Finding;
    expect(finding.message.startsWith(`${rule} [${path}] `)).toBe(true);
    expect(finding.message).toContain(' Fix: ');
    expect(error?.message).toContain(`ERROR ${rule} [${path}]`);
  });

  test.each(CASES)('$rule passes when $what is done right', ({ good }) => {
    expect(prodErrors(good).errors.map((e) => e.message)).toEqual([]);
  });
});

describe('guardrails: messages', () => {
  test('a finding names the construct path, the offending value, the fix and the Checkov ids', () => {
    const { errors } = prodErrors({
      tweak: (f) => f.launchTemplate.addOverride('metadata_options.http_put_response_hop_limit', 2),
    });
    expect(errors.map((e) => e.message)).toEqual([
      'CART008 [cluster/launch-template] metadata_options.http_put_response_hop_limit is 2: pods can reach the instance metadata service. What happens: pods reach IMDS and take the node role: a workload without its own identity silently runs as the node (`assumed-role/…node-group…/i-… is not authorized to perform: dynamodb:GetItem`) instead of failing loudly, and every pod can use the node role. Fix: set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (ManagedNodeGroup does). (Checkov CKV_AWS_341)',
    ]);
  });

  test('CART004 names the table the stacks create and the one the cart asks for', () => {
    const { errors } = prodErrors({ options: { configData: { [ENV.tableName]: 'Items' } } });
    expect(errors.map((e) => e.message)).toEqual([
      `CART004 [cart-workload/config] the cart in cart-workload/deployment (container "carts") uses table "Items" from ConfigMap data key ${ENV.tableName} in cart-workload/config, but the stacks create "${TABLE_NAME}" (cart/table, us-east-1). What happens: the cart reads a table that does not exist (wrong name, or the right name in another region): \`ResourceNotFoundException: Requested resource not found\` at start. Fix: set ${ENV.tableName} from the table resource's name (cartTable.tableName), not a hand-written name.`,
    ]);
  });

  test('CART006 lists exactly the missing actions', () => {
    const { errors } = prodErrors({
      options: onlyActions(['dynamodb:GetItem', 'dynamodb:BatchWriteItem'], (arn) => [arn]),
    });
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(
      `does not allow dynamodb:DeleteItem on table/${TABLE_NAME}, dynamodb:Query on table/${TABLE_NAME}, dynamodb:UpdateItem on table/${TABLE_NAME}, dynamodb:Query on table/${TABLE_NAME}/index/${CUSTOMER_INDEX_NAME}.`,
    );
  });

  test('CART005 flags both sides of a mismatched association', () => {
    const { errors } = prodErrors({ options: { associationServiceAccount: 'cart' } });
    expect(errors.map((e) => [e.ruleId, e.path])).toEqual([
      ['CART005', 'cart-workload/deployment'],
      ['CART005', 'cart/association'],
    ]);
  });

  test('CART013 names the class, its usePodIdentity, the mounting workload and the binding it has', () => {
    const { errors } = prodErrors({ options: { identity: 'irsa' }, tweak: (f) => mountWith(f, 'true') });
    expect(errors.map((e) => e.message)).toEqual([
      'CART013 [cart-workload/secret-provider-class] SecretProviderClass carts-secrets has usePodIdentity: "true" (EKS Pod Identity), but cart-workload/deployment mounts it as service account carts/carts, which gets its role only through IRSA annotation cart-workload/service-account (carts/carts). What happens: ASCP asks the Pod Identity agent for the service account\'s credentials, and without an association the agent has none to give: the mount fails and the pods stay in ContainerCreating. Fix: set usePodIdentity to "false" (SecretProviderClass identityMode from the WorkloadIdentity\'s mode), or bind the role the way the class asks.',
    ]);
  });

  test('CART151 cites the Checkov check of the port it opens', () => {
    const { errors } = prodErrors({
      tweak: (f) =>
        new SecurityGroup(f.stacks.cluster, 'rdp', {
          ingress: [{ fromPort: 3000, toPort: 4000, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }],
        }),
    });
    expect(errors.map((e) => e.message)).toEqual([
      'CART151 [cluster/rdp] allows ingress from 0.0.0.0/0 to ports 3000-4000 (tcp). What happens: SSH, RDP, databases or node ports reachable from the whole internet. Fix: open only 80/443 to the internet (on the load balancer); restrict everything else to the VPC CIDR or a security group. (Checkov CKV_AWS_25)',
    ]);
  });

  test('every rule documents what it prevents and has a distinct id', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^CART\d{3}$/);
      expect(rule.prevents.length).toBeGreaterThan(20);
      expect(GUARDRAIL_POLICIES.production.severities[rule.category]).toBe('error');
    }
  });
});

describe('guardrails: a rule reads synthesized configuration, whichever construct made it', () => {
  test('a bucket in a stack of its own is checked like the state bucket', () => {
    const fixture = buildFixture();
    const other = new TerraformStack(fixture.app, 'other');
    new AwsProvider(other, 'aws', { region: REGION });
    new S3Bucket(other, 'logs', { bucket: 'retail-logs' });
    const ids = (() => {
      try {
        applyGuardrails(fixture.app, prod);
        return [];
      } catch (error) {
        return (error as GuardrailError).report.errors.map((e) => `${e.ruleId} ${e.path}`);
      }
    })();
    expect(ids).toEqual([
      'CART101 other/logs',
      'CART102 other/logs',
      'CART103 other/logs',
      'CART104 other/logs',
    ]);
  });
});
