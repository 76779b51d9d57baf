/** Extensions that are correct: none may be refused (the class 8, and a correct twin of each class). */
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Annotations as KubernetesAnnotations } from '@cdktf/provider-kubernetes/lib/annotations';
import { ConfigMapV1Data } from '@cdktf/provider-kubernetes/lib/config-map-v1-data';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ENV, REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';
import { policyDocument } from '../../../../modules/iam-policy';
import { NAMESPACE, SERVICE_ACCOUNT } from '../fixture';
import {
  CART_ENV,
  HARDENED_PROPS,
  LIMITS,
  containerOverride,
  manifestObject,
  manifestWorkload,
  podOverride,
} from './helpers';
import type { CorrectExtension } from './types';

const VPC_ENDPOINT = 'https://vpce-0a1b2c3d4e5f67890-abcdefgh.dynamodb.us-east-1.vpce.amazonaws.com';

export const CORRECT: CorrectExtension[] = [
  {
    what: 'Resource "*" for actions that cannot be scoped (ListTables, PutMetricData, X-Ray)',
    extend: (f) =>
      new IamRolePolicy(f.stacks.cart, 'telemetry', {
        role: f.role.id,
        name: 'telemetry',
        policy: policyDocument([
          {
            actions: [
              'dynamodb:ListTables',
              'cloudwatch:PutMetricData',
              'xray:PutTraceSegments',
              'xray:PutTelemetryRecords',
            ],
            resources: ['*'],
          },
        ]),
      }),
  },
  {
    what: "other services' endpoint variables on a workload that is not the cart",
    extend: (f) =>
      new DeploymentV1(f.stacks.workload, 'uploader', {
        metadata: { name: 'uploader', namespace: NAMESPACE },
        spec: {
          selector: { matchLabels: { app: 'uploader' } },
          template: {
            metadata: { labels: { app: 'uploader' } },
            spec: {
              container: [
                {
                  name: 'uploader',
                  image: 'public.ecr.aws/example/uploader:2.1',
                  env: [
                    {
                      name: 'AWS_ENDPOINT_URL_S3',
                      value: 'https://bucket.vpce-0a1b2c3d.s3.us-east-1.vpce.amazonaws.com',
                    },
                    { name: 'AWS_ENDPOINT_URL_STS', value: 'https://sts.us-east-1.amazonaws.com' },
                    { name: 'AWS_ENDPOINT_URL', value: 'https://minio.storage:9000' },
                  ],
                  resources: LIMITS,
                  securityContext: HARDENED_PROPS,
                },
              ],
            },
          },
        },
      }),
  },
  {
    what: 'the cart reaches DynamoDB through a VPC interface endpoint (AWS_ENDPOINT_URL_DYNAMODB)',
    options: { containerEnv: [{ name: 'AWS_ENDPOINT_URL_DYNAMODB', value: VPC_ENDPOINT }] },
    extend: () => undefined,
  },
  {
    what: 'empty placeholder variables (as Helm charts render unset values)',
    options: {
      configData: {
        [ENV.endpoint]: '',
        [ENV.createTable]: '',
        AWS_ACCESS_KEY_ID: '',
        AWS_ENDPOINT_URL_DYNAMODB: '',
      },
    },
    extend: () => undefined,
  },
  {
    what: 'create-table spelled "off" in a ConfigMap patch',
    extend: (f) =>
      new ConfigMapV1Data(f.stacks.workload, 'create-off', {
        metadata: { name: 'carts', namespace: NAMESPACE },
        data: { [ENV.createTable]: 'off' },
      }),
  },
  {
    what: 'IRSA done right, the annotation added with a kubernetes_annotations patch',
    options: { identity: 'irsa' },
    extend: (f) => {
      f.serviceAccount.addOverride('metadata.annotations', undefined);
      new KubernetesAnnotations(f.stacks.workload, 'irsa', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: SERVICE_ACCOUNT, namespace: NAMESPACE },
        annotations: { 'eks.amazonaws.com/role-arn': f.role.arn },
      });
    },
  },
  {
    what: 'a Karpenter EC2NodeClass that keeps the default metadata options',
    extend: (f) =>
      manifestObject(f.stacks.workload, 'node-class', {
        apiVersion: 'karpenter.k8s.aws/v1',
        kind: 'EC2NodeClass',
        metadata: { name: 'default' },
        spec: {
          role: 'KarpenterNodeRole-retail-prod-eks',
          amiSelectorTerms: [{ alias: 'al2023@latest' }],
          subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'retail-prod-eks' } }],
          securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'retail-prod-eks' } }],
        },
      }),
  },
  {
    what: 'dynamodb:* limited by a permissions boundary to exactly the cart actions on its table',
    options: { statements: (t) => [{ actions: ['dynamodb:*'], resources: [t.arn, `${t.arn}/index/*`] }] },
    extend: (f) => {
      const boundary = new IamPolicy(f.stacks.cart, 'boundary', {
        name: 'cart-boundary',
        policy: policyDocument([
          { actions: REQUIRED_DYNAMODB_ACTIONS, resources: [f.table.arn, `${f.table.arn}/index/*`] },
        ]),
      });
      f.role.addOverride('permissions_boundary', boundary.arn);
    },
  },
  {
    what: 'the cart policy from an aws_iam_policy_document data source',
    extend: (f) => {
      const document = new DataAwsIamPolicyDocument(f.stacks.cart, 'cart-data', {
        statement: [
          { actions: [...REQUIRED_DYNAMODB_ACTIONS], resources: [f.table.arn, `${f.table.arn}/index/*`] },
        ],
      });
      f.rolePolicy.addOverride('policy', document.json);
    },
  },
  {
    what: 'a second node group on the same launch template, referenced by name',
    extend: (f) => {
      f.launchTemplate.addOverride('name', 'general');
      f.launchTemplate.addOverride('name_prefix', undefined);
      new EksNodeGroup(f.stacks.cluster, 'arm-nodes', {
        clusterName: f.cluster.name,
        nodeGroupName: 'arm',
        nodeRoleArn: 'arn:aws:iam::123456789012:role/retail-prod-eks-node',
        subnetIds: ['subnet-1', 'subnet-2'],
        scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 2 },
        amiType: 'AL2023_ARM_64_STANDARD',
        instanceTypes: ['m7g.large', 'c7g.large'],
        launchTemplate: { name: 'general', version: '$Latest' },
      });
    },
  },
  {
    what: 'a TLS Secret mounted into the cart (not an AWS credentials file)',
    extend: (f) => {
      new SecretV1(f.stacks.workload, 'tls', {
        metadata: { name: 'carts-tls', namespace: NAMESPACE },
        data: { 'tls.crt': '-----BEGIN CERTIFICATE-----', 'tls.key': '-----BEGIN PRIVATE KEY-----' },
      });
      podOverride(f, 'volume', [{ name: 'tls', secret: { secret_name: 'carts-tls' } }]);
      containerOverride(f, 'volume_mount', [{ name: 'tls', mount_path: '/etc/tls', read_only: true }]);
    },
  },
  {
    what: 'memory limit equal to the request, CPU limit above it',
    options: {
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '0.5Gi' } },
    },
    extend: () => undefined,
  },
  {
    what: "an Ingress with a certificate created in the cluster's region",
    extend: (f) => {
      const certificate = new AcmCertificate(f.stacks.cart, 'certificate', {
        domainName: 'shop.example.com',
        validationMethod: 'DNS',
      });
      new IngressV1(f.stacks.workload, 'ingress', {
        metadata: {
          name: 'carts',
          namespace: NAMESPACE,
          annotations: { 'alb.ingress.kubernetes.io/certificate-arn': certificate.arn },
        },
        spec: {
          ingressClassName: 'alb',
          rule: [
            {
              http: {
                path: [{ path: '/carts', backend: { service: { name: 'carts', port: { number: 80 } } } }],
              },
            },
          ],
        },
      });
    },
  },
  {
    what: "the regional DynamoDB endpoint of the table's own region, set with AWS_ENDPOINT_URL_DYNAMODB",
    options: {
      containerEnv: [
        { name: 'AWS_ENDPOINT_URL_DYNAMODB', value: 'https://dynamodb.us-east-1.amazonaws.com' },
      ],
    },
    extend: () => undefined,
  },
  {
    what: 'a canary of the cart as a kubernetes_manifest Deployment, wired right',
    extend: (f) => manifestWorkload(f.stacks.workload, 'carts-canary', { env: CART_ENV }),
  },
  {
    what: 'endpoint overrides ignored with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true',
    options: {
      containerEnv: [
        { name: 'AWS_ENDPOINT_URL', value: 'http://localstack:4566' },
        { name: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', value: 'true' },
      ],
    },
    extend: () => undefined,
  },
  {
    what: 'a non-cart workload in another region, with its own AWS_REGION',
    extend: (f) =>
      manifestWorkload(f.stacks.workload, 'reporter', {
        name: 'reporter',
        env: [
          { name: 'AWS_REGION', value: 'eu-west-1' },
          { name: 'LOG_LEVEL', value: 'debug' },
        ],
        serviceAccountName: 'reporter',
      }),
  },
  {
    what: 'extra data actions (PutItem, BatchGetItem) on the cart table only',
    options: {
      statements: (t) => [
        {
          actions: [
            ...REQUIRED_DYNAMODB_ACTIONS,
            'dynamodb:PutItem',
            'dynamodb:BatchGetItem',
            'dynamodb:DescribeTable',
          ],
          resources: [t.arn, `${t.arn}/index/*`],
        },
      ],
    },
    extend: () => undefined,
  },
];
