/** Class 7: values that are each valid but do not fit together. */
import { S3Backend } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { NAMESPACE } from '../fixture';
import type { ExtensionMistake } from './types';

function nodeGroup(f: Parameters<ExtensionMistake['extend']>[0], amiType: string, instanceTypes: string[]) {
  return new EksNodeGroup(f.stacks.cluster, 'extra-nodes', {
    clusterName: f.cluster.name,
    nodeGroupName: 'extra',
    nodeRoleArn: 'arn:aws:iam::123456789012:role/retail-prod-eks-node',
    subnetIds: ['subnet-1', 'subnet-2'],
    scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 2 },
    amiType,
    instanceTypes,
    launchTemplate: { id: f.launchTemplate.id, version: '$Latest' },
  });
}

export const CROSS_FIELD: ExtensionMistake[] = [
  {
    class: 7,
    what: 'a subnet in us-west-2a added to the us-east-1 cluster stack',
    rule: 'CART161',
    path: 'cluster/extra-subnet',
    mentions: ['us-west-2a', 'us-east-1'],
    extend: (f) =>
      new Subnet(f.stacks.cluster, 'extra-subnet', {
        vpcId: 'vpc-1',
        cidrBlock: '10.1.50.0/24',
        availabilityZone: 'us-west-2a',
      }),
  },
  {
    class: 7,
    what: 'a subnet by availability zone id of another region',
    rule: 'CART161',
    path: 'cluster/extra-subnet',
    mentions: ['usw2-az1', 'us-east-1'],
    extend: (f) =>
      new Subnet(f.stacks.cluster, 'extra-subnet', {
        vpcId: 'vpc-1',
        cidrBlock: '10.1.50.0/24',
        availabilityZoneId: 'usw2-az1',
      }),
  },
  {
    class: 7,
    what: 'an x86 AMI type with Graviton instance types',
    rule: 'CART162',
    path: 'cluster/extra-nodes',
    mentions: ['AL2023_x86_64_STANDARD', 'm7g.large'],
    extend: (f) => nodeGroup(f, 'AL2023_x86_64_STANDARD', ['m7g.large']),
  },
  {
    class: 7,
    what: 'an ARM AMI type with x86 instance types',
    rule: 'CART162',
    path: 'cluster/extra-nodes',
    mentions: ['AL2023_ARM_64_STANDARD', 't3.medium'],
    extend: (f) => nodeGroup(f, 'AL2023_ARM_64_STANDARD', ['t3.medium', 't4g.medium']),
  },
  {
    class: 7,
    what: 'a memory limit below the memory request',
    rule: 'CART146',
    path: 'cart-workload/deployment',
    mentions: ['256Mi', '512Mi'],
    options: {
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '256Mi' } },
    },
    extend: () => undefined,
  },
  {
    class: 7,
    what: 'a CPU limit below the CPU request (0.5 vs 750m)',
    rule: 'CART146',
    path: 'cart-workload/deployment',
    mentions: ['0.5', '750m'],
    options: {
      resources: { requests: { cpu: '750m', memory: '256Mi' }, limits: { cpu: '0.5', memory: '1Gi' } },
    },
    extend: () => undefined,
  },
  {
    class: 7,
    what: "the Ingress certificate is in eu-west-1, the cluster's load balancers in us-east-1",
    rule: 'CART163',
    path: 'cart-workload/ingress',
    mentions: ['arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c', 'us-east-1'],
    extend: (f) =>
      new IngressV1(f.stacks.workload, 'ingress', {
        metadata: {
          name: 'carts',
          namespace: NAMESPACE,
          annotations: {
            'alb.ingress.kubernetes.io/scheme': 'internet-facing',
            'alb.ingress.kubernetes.io/certificate-arn':
              'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c',
          },
        },
        spec: {
          ingressClassName: 'alb',
          rule: [
            {
              http: { path: [{ path: '/', backend: { service: { name: 'carts', port: { number: 80 } } } }] },
            },
          ],
        },
      }),
  },
  {
    class: 7,
    what: 'an ALB listener uses a certificate created through a provider of another region',
    rule: 'CART163',
    path: 'cluster/https',
    mentions: ['eu-central-1', 'us-east-1'],
    extend: (f) => {
      const frankfurt = new AwsProvider(f.stacks.cluster, 'aws-frankfurt', {
        region: 'eu-central-1',
        alias: 'fra',
      });
      const certificate = new AcmCertificate(f.stacks.cluster, 'certificate', {
        provider: frankfurt,
        domainName: 'shop.example.com',
        validationMethod: 'DNS',
      });
      const lb = new Lb(f.stacks.cluster, 'alb', {
        loadBalancerType: 'application',
        subnets: ['subnet-1', 'subnet-2'],
      });
      new LbListener(f.stacks.cluster, 'https', {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: 'HTTPS',
        certificateArn: certificate.arn,
        defaultAction: [
          { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404' } },
        ],
      });
    },
  },
  {
    class: 7,
    what: 'force_destroy on the prod state bucket',
    rule: 'CART105',
    path: 'state/bucket',
    mentions: ['force_destroy', 'retail-prod-tfstate'],
    extend: (f) => {
      new S3Backend(f.stacks.cart, {
        bucket: 'retail-prod-tfstate',
        key: 'prod/cart.tfstate',
        region: 'us-east-1',
      });
      f.bucket.addOverride('force_destroy', true);
    },
  },
  {
    class: 7,
    what: 'public API endpoint CIDRs 0.0.0.0/1 and 128.0.0.0/1 (the whole internet in two halves)',
    rule: 'CART113',
    path: 'cluster/eks',
    mentions: ['0.0.0.0/1', '128.0.0.0/1'],
    extend: (f) => f.cluster.addOverride('vpc_config.public_access_cidrs', ['0.0.0.0/1', '128.0.0.0/1']),
  },
  {
    class: 7,
    what: 'SSH opened to two CIDRs that together cover the internet',
    rule: 'CART151',
    path: 'cluster/ssh',
    mentions: ['0.0.0.0/1', '128.0.0.0/1', 'port 22'],
    extend: (f) =>
      new SecurityGroupRule(f.stacks.cluster, 'ssh', {
        type: 'ingress',
        securityGroupId: 'sg-1',
        fromPort: 22,
        toPort: 22,
        protocol: 'tcp',
        cidrBlocks: ['0.0.0.0/1', '128.0.0.0/1'],
      }),
  },
];
