/** Class 1: mistakes that only exist in the final Terraform JSON — aspects, stack-level overrides, raw resources. */
import { Aspects, S3Backend, TerraformResource, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ENV } from '@cart-platform/service/contract';
import { policyDocument } from '../../../../modules/iam-policy';
import type { ExtensionMistake } from './types';

/** An aspect that runs a function on every construct of a class. */
function aspectOn<T>(is: (node: IConstruct) => node is T & IConstruct, apply: (node: T) => void): IAspect {
  return { visit: (node) => (is(node) ? apply(node) : undefined) };
}

const isRepository = (n: IConstruct): n is EcrRepository => n instanceof EcrRepository;
const isTable = (n: IConstruct): n is DynamodbTable => n instanceof DynamodbTable;
const isDeployment = (n: IConstruct): n is DeploymentV1 => n instanceof DeploymentV1;
const isKubernetesProvider = (n: IConstruct): n is KubernetesProvider => n instanceof KubernetesProvider;

export const WHAT_TERRAFORM_RECEIVES: ExtensionMistake[] = [
  {
    class: 1,
    what: 'a tagging aspect on the cart stack also makes every ECR repository mutable',
    rule: 'CART132',
    path: 'cart/repository',
    mentions: ['MUTABLE'],
    extend: (f) =>
      Aspects.of(f.stacks.cart).add(
        aspectOn(isRepository, (r) => r.addOverride('image_tag_mutability', 'MUTABLE')),
      ),
  },
  {
    class: 1,
    what: 'an aspect on the workload stack points every Deployment at DynamoDB Local',
    rule: 'CART002',
    path: 'cart-workload/deployment',
    mentions: ['AWS_ENDPOINT_URL_DYNAMODB', 'http://dynamodb-local:8000'],
    extend: (f) =>
      Aspects.of(f.stacks.workload).add(
        aspectOn(isDeployment, (d) =>
          d.addOverride('spec.template.spec.container.0.env', [
            { name: 'AWS_ENDPOINT_URL_DYNAMODB', value: 'http://dynamodb-local:8000' },
          ]),
        ),
      ),
  },
  {
    class: 1,
    what: 'a stack-level override raises the launch template hop limit',
    rule: 'CART008',
    path: 'cluster/launch-template',
    mentions: ['http_put_response_hop_limit', '2'],
    extend: (f) =>
      f.stacks.cluster.addOverride(
        'resource.aws_launch_template.launch-template.metadata_options.http_put_response_hop_limit',
        2,
      ),
  },
  {
    class: 1,
    what: 'a stack-level override adds an inline policy with dynamodb:* to the cart role',
    rule: 'CART007',
    path: 'cart',
    mentions: ['dynamodb:*', 'aws_iam_role_policy.hotfix'],
    extend: (f) =>
      f.stacks.cart.addOverride('resource.aws_iam_role_policy.hotfix', {
        role: '${aws_iam_role.role.id}',
        policy: policyDocument([{ actions: ['dynamodb:*'], resources: ['${aws_dynamodb_table.table.arn}'] }]),
      }),
  },
  {
    class: 1,
    what: 'a raw TerraformResource attaches AmazonDynamoDBFullAccess to the cart role',
    rule: 'CART007',
    path: 'cart/full-access',
    mentions: ['AmazonDynamoDBFullAccess'],
    extend: (f) => {
      const raw = new TerraformResource(f.stacks.cart, 'full-access', {
        terraformResourceType: 'aws_iam_role_policy_attachment',
      });
      raw.addOverride('role', f.role.name);
      raw.addOverride('policy_arn', 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess');
    },
  },
  {
    class: 1,
    what: 'an override turns create-table on with "yes" (a spelling the service accepts)',
    rule: 'CART003',
    path: 'cart-workload/config',
    mentions: [ENV.createTable, 'yes'],
    extend: (f) => f.configMap.addOverride(`data.${ENV.createTable}`, 'yes'),
  },
  {
    class: 1,
    what: "a stack-level override hard-codes the guide's table name in the ConfigMap",
    rule: 'CART004',
    path: 'cart-workload/config',
    mentions: ['"Items"'],
    extend: (f) =>
      f.stacks.workload.addOverride(
        `resource.kubernetes_config_map_v1.config.data.${ENV.tableName}`,
        'Items',
      ),
  },
  {
    class: 1,
    what: 'a cost-saving aspect turns point-in-time recovery off on every table',
    rule: 'CART121',
    path: 'cart/table',
    mentions: ['point-in-time recovery'],
    extend: (f) =>
      Aspects.of(f.stacks.cart).add(
        aspectOn(isTable, (t) => t.addOverride('point_in_time_recovery.enabled', false)),
      ),
  },
  {
    class: 1,
    what: 'a stack-level override points the S3 backend at LocalStack',
    rule: 'CART009',
    path: 'cart/backend',
    mentions: ['http://localhost:4566'],
    extend: (f) => {
      new S3Backend(f.stacks.cart, {
        bucket: 'retail-prod-tfstate',
        key: 'prod/cart.tfstate',
        region: 'us-east-1',
      });
      f.stacks.cart.addOverride('terraform.backend.s3.endpoints', { s3: 'http://localhost:4566' });
    },
  },
  {
    class: 1,
    what: 'an aspect gives the kubernetes provider a static aws_eks_cluster_auth token',
    rule: 'CART010',
    path: 'cart-workload/kubernetes',
    mentions: ['token'],
    extend: (f) =>
      Aspects.of(f.stacks.workload).add(
        aspectOn(isKubernetesProvider, (p) =>
          p.addOverride('token', '${data.aws_eks_cluster_auth.eks.token}'),
        ),
      ),
  },
];
