/**
 * A second round of extensions, written after the first round passed, to probe how the rules generalise rather
 * than to fit them: other spellings of the same mistakes, and more correct setups.
 */
import { Fn, TerraformVariable } from 'cdktf';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Env } from '@cdktf/provider-kubernetes/lib/env';
import { ServiceAccount } from '@cdktf/provider-kubernetes/lib/service-account';
import { ENV, REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';
import { NAMESPACE, SERVICE_ACCOUNT, TABLE_NAME } from '../fixture';
import { containerOverride, manifestWorkload, podOverride } from './helpers';
import type { CorrectExtension, ExtensionMistake } from './types';

const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

const cartChart = (values: string) => (f: Parameters<ExtensionMistake['extend']>[0]) => {
  new HelmProvider(f.stacks.workload, 'helm', {});
  new Release(f.stacks.workload, 'carts-chart', {
    name: 'carts',
    namespace: NAMESPACE,
    chart: 'oci://public.ecr.aws/aws-containers/retail-store-sample-cart-chart',
    version: '1.2.2',
    values: [values],
  });
};

export const SECOND_ROUND: ExtensionMistake[] = [
  {
    class: 2,
    what: "the sample's own carts chart deployed with its local DynamoDB (dynamodb.create: true)",
    rule: 'CART002',
    path: 'cart-workload/carts-chart',
    mentions: [ENV.endpoint],
    extend: cartChart('app:\n  persistence:\n    provider: dynamodb\ndynamodb:\n  create: true\n'),
  },
  {
    class: 2,
    what: "the sample's carts chart left on the default table name Items",
    rule: 'CART004',
    path: 'cart-workload/carts-chart',
    mentions: ['"Items"'],
    extend: cartChart('app:\n  persistence:\n    provider: dynamodb\nserviceAccount:\n  name: carts\n'),
  },
  {
    class: 4,
    what: 'a stack-level override renames the service account of the association',
    rule: 'CART005',
    path: 'cart-workload/deployment',
    mentions: [`${NAMESPACE}/${SERVICE_ACCOUNT}`],
    extend: (f) =>
      f.stacks.cart.addOverride(
        'resource.aws_eks_pod_identity_association.association.service_account',
        'cart',
      ),
  },
  {
    class: 4,
    what: 'the cart moves to a legacy kubernetes_service_account annotated with a role outside the app',
    rule: 'CART005',
    path: 'cart-workload/legacy-account',
    mentions: ['arn:aws:iam::123456789012:role/carts-prod', 'outside the app'],
    extend: (f) => {
      new ServiceAccount(f.stacks.workload, 'legacy-account', {
        metadata: {
          name: 'carts-legacy',
          namespace: NAMESPACE,
          annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/carts-prod' },
        },
      });
      podOverride(f, 'service_account_name', 'carts-legacy');
    },
  },
  {
    class: 3,
    what: 'an inline_policy block on the role grants dynamodb:* on the table',
    rule: 'CART007',
    path: 'cart/role',
    mentions: ['dynamodb:*'],
    extend: (f) =>
      f.role.addOverride('inline_policy', [
        {
          name: 'quick-fix',
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: 'dynamodb:*', Resource: '${aws_dynamodb_table.table.arn}' },
            ],
          }),
        },
      ]),
  },
  {
    class: 3,
    what: 'aws_iam_role_policy_attachments_exclusive pins AmazonDynamoDBFullAccess',
    rule: 'CART007',
    path: 'cart/exclusive',
    mentions: ['AmazonDynamoDBFullAccess'],
    extend: (f) =>
      new IamRolePolicyAttachmentsExclusive(f.stacks.cart, 'exclusive', {
        roleName: f.role.name,
        policyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'],
      }),
  },
  {
    class: 3,
    what: 'a policy written with Fn.jsonencode allows dynamodb:* on the table',
    rule: 'CART007',
    path: 'cart/encoded',
    mentions: ['dynamodb:*'],
    extend: (f) =>
      new IamRolePolicy(f.stacks.cart, 'encoded', {
        role: f.role.id,
        policy: Fn.jsonencode({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['dynamodb:*'], Resource: [f.table.arn] }],
        }),
      }),
  },
  {
    class: 3,
    what: 'the least-privilege policy is replaced by AmazonDynamoDBReadOnlyAccess (no writes)',
    rule: 'CART006',
    path: 'cart/role',
    mentions: ['dynamodb:UpdateItem'],
    options: {
      statements: () => [],
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess'],
    },
    extend: () => undefined,
  },
  {
    class: 5,
    what: 'a self-managed node instance allows IMDSv1',
    rule: 'CART008',
    path: 'cluster/node',
    mentions: ['http_tokens', 'optional'],
    extend: (f) =>
      new Instance(f.stacks.cluster, 'node', {
        ami: 'ami-0123456789abcdef0',
        instanceType: 't3.medium',
        metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2 },
      }),
  },
  {
    class: 5,
    what: 'a Karpenter EC2NodeClass applied with kubectl_manifest raises the hop limit',
    rule: 'CART008',
    path: 'cart-workload',
    mentions: ['kubectl_manifest.karpenter-yaml', 'httpPutResponseHopLimit is 2'],
    extend: (f) =>
      f.stacks.workload.addOverride('resource.kubectl_manifest.karpenter-yaml', {
        yaml_body: [
          'apiVersion: karpenter.k8s.aws/v1',
          'kind: EC2NodeClass',
          'metadata:',
          '  name: default',
          'spec:',
          '  role: KarpenterNodeRole',
          '  metadataOptions:',
          '    httpTokens: required',
          '    httpPutResponseHopLimit: 2',
        ].join('\n'),
      }),
  },
  {
    class: 6,
    what: 'a second bucket policy on the state bucket by its literal name',
    rule: 'CART104',
    path: 'state/bucket',
    mentions: ['state/logs-delivery'],
    extend: (f) =>
      new S3BucketPolicy(f.stacks.state, 'logs-delivery', {
        bucket: 'retail-prod-tfstate',
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
      }),
  },
  {
    class: 6,
    what: 'SSH opened to the internet with aws_vpc_security_group_ingress_rule',
    rule: 'CART151',
    path: 'cluster/ssh-any',
    mentions: ['0.0.0.0/0', 'port 22'],
    extend: (f) =>
      new VpcSecurityGroupIngressRule(f.stacks.cluster, 'ssh-any', {
        securityGroupId: 'sg-1',
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: 22,
        toPort: 22,
      }),
  },
  {
    class: 7,
    what: 'a memory limit in decimal megabytes below a request in mebibytes (512M < 512Mi)',
    rule: 'CART146',
    path: 'cart-workload/deployment',
    mentions: ['512M', '512Mi'],
    options: {
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '512M' } },
    },
    extend: () => undefined,
  },
  {
    class: 2,
    what: 'a kubernetes_env patch sets the cart region to another region',
    rule: 'CART004',
    path: 'cart-workload/region-patch',
    mentions: ['eu-central-1'],
    extend: (f) =>
      new Env(f.stacks.workload, 'region-patch', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'carts', namespace: NAMESPACE },
        container: 'carts',
        env: [{ name: ENV.region, value: 'eu-central-1' }],
      }),
  },
  {
    class: 2,
    what: 'the endpoint comes from a Terraform variable whose default is DynamoDB Local',
    rule: 'CART002',
    path: 'cart-workload/deployment',
    mentions: ['http://dynamodb-local:8000'],
    extend: (f) => {
      const endpoint = new TerraformVariable(f.stacks.workload, 'ddb_endpoint', {
        type: 'string',
        default: 'http://dynamodb-local:8000',
      });
      containerOverride(f, 'env', [{ name: 'AWS_ENDPOINT_URL_DYNAMODB', value: endpoint.stringValue }]);
    },
  },
  {
    class: 4,
    what: 'the IRSA trust has no :sub condition (any service account of the cluster)',
    rule: 'CART005',
    path: 'cart/role',
    mentions: ['every service account'],
    options: { identity: 'irsa' },
    extend: (f) =>
      f.role.addOverride(
        'assume_role_policy',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${ISSUER}` },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' } },
            },
          ],
        }),
      ),
  },
  {
    class: 2,
    what: "a mounted SDK config whose default profile assumes a role with the node's instance credentials",
    rule: 'CART001',
    path: 'cart-workload/deployment',
    mentions: ['role_arn', 'credential_source'],
    extend: (f) => {
      new ConfigMapV1(f.stacks.workload, 'sdk-profile', {
        metadata: { name: 'sdk-profile', namespace: NAMESPACE },
        data: {
          config:
            '[default]\nrole_arn = arn:aws:iam::123456789012:role/ops\ncredential_source = Ec2InstanceMetadata\n',
        },
      });
      podOverride(f, 'volume', [{ name: 'aws', config_map: { name: 'sdk-profile' } }]);
      containerOverride(f, 'volume_mount', [{ name: 'aws', mount_path: '/home/node/.aws' }]);
    },
  },
];

export const SECOND_ROUND_CORRECT: CorrectExtension[] = [
  {
    what: 'the cart table named by a literal ARN with any region and account (the guide style)',
    options: {
      statements: () => [
        {
          actions: REQUIRED_DYNAMODB_ACTIONS,
          resources: [
            `arn:aws:dynamodb:*:*:table/${TABLE_NAME}`,
            `arn:aws:dynamodb:*:*:table/${TABLE_NAME}/index/*`,
          ],
        },
      ],
    },
    extend: () => undefined,
  },
  {
    what: 'the association names the cluster through a variable set at apply',
    extend: (f) => {
      const cluster = new TerraformVariable(f.stacks.cart, 'cluster_name', { type: 'string' });
      f.association?.addOverride('cluster_name', cluster.stringValue);
    },
  },
  {
    what: 'the cart reaches DynamoDB through the VPC interface endpoint resource the app creates',
    extend: (f) => {
      const endpoint = new VpcEndpoint(f.stacks.workload, 'ddb', {
        vpcId: 'vpc-1',
        serviceName: 'com.amazonaws.us-east-1.dynamodb',
        vpcEndpointType: 'Interface',
      });
      containerOverride(f, 'env', [
        { name: 'AWS_ENDPOINT_URL_DYNAMODB', value: `https://${endpoint.dnsEntry.get(0).dnsName}` },
      ]);
    },
  },
  {
    what: 'the table ARN and its sub-resources (${arn}/*), the policy from a data document with a condition',
    extend: (f) => {
      const document = new DataAwsIamPolicyDocument(f.stacks.cart, 'cart-data', {
        statement: [
          {
            actions: [...REQUIRED_DYNAMODB_ACTIONS],
            resources: [f.table.arn, `${f.table.arn}/*`],
            condition: [{ test: 'StringEquals', variable: 'aws:RequestedRegion', values: ['us-east-1'] }],
          },
        ],
      });
      f.rolePolicy.addOverride('policy', document.json);
    },
  },
  {
    what: 'a Deny with NotResource that keeps the cart role on its own table',
    extend: (f) =>
      f.rolePolicy.addOverride(
        'policy',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [...REQUIRED_DYNAMODB_ACTIONS],
              Resource: ['${aws_dynamodb_table.table.arn}', '${aws_dynamodb_table.table.arn}/index/*'],
            },
            {
              Effect: 'Deny',
              Action: 'dynamodb:*',
              NotResource: ['${aws_dynamodb_table.table.arn}', '${aws_dynamodb_table.table.arn}/index/*'],
            },
          ],
        }),
      ),
  },
  {
    what: "the sample's carts chart wired right (its table, its IRSA role, no local DynamoDB)",
    options: { identity: 'irsa' },
    extend: (f) => {
      new HelmProvider(f.stacks.workload, 'helm', {});
      new Release(f.stacks.workload, 'carts-chart', {
        name: 'carts',
        namespace: NAMESPACE,
        chart: 'oci://public.ecr.aws/aws-containers/retail-store-sample-cart-chart',
        version: '1.2.2',
        values: [
          JSON.stringify({
            app: { persistence: { provider: 'dynamodb', dynamodb: { tableName: TABLE_NAME } } },
            serviceAccount: { name: SERVICE_ACCOUNT, create: false },
          }),
        ],
      });
    },
  },
  {
    what: 'a canary manifest Deployment reading its settings from the cart ConfigMap',
    extend: (f) =>
      manifestWorkload(f.stacks.workload, 'carts-canary', {
        env: [],
        envFrom: [{ configMapRef: { name: 'carts' } }],
      }),
  },
];
