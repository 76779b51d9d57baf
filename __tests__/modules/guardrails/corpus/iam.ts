/** Class 3: the cart role's effective permissions, however they are attached. */
import { DataAwsIamPolicy } from '@cdktf/provider-aws/lib/data-aws-iam-policy';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamPolicyAttachment } from '@cdktf/provider-aws/lib/iam-policy-attachment';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { CUSTOMER_INDEX_NAME, REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';
import { policyDocument } from '../../../../modules/iam-policy';
import { TABLE_NAME } from '../fixture';
import type { ExtensionMistake } from './types';

const both = (arn: string) => [arn, `${arn}/index/*`];

export const IAM: ExtensionMistake[] = [
  {
    class: 3,
    what: 'a customer-managed policy with dynamodb:* is attached to the cart role',
    rule: 'CART007',
    path: 'cart/ops-policy',
    mentions: ['dynamodb:*'],
    extend: (f) => {
      const policy = new IamPolicy(f.stacks.cart, 'ops-policy', {
        name: 'cart-ops',
        policy: policyDocument([{ actions: ['dynamodb:*'], resources: [f.table.arn] }]),
      });
      new IamRolePolicyAttachment(f.stacks.cart, 'ops-attachment', {
        role: f.role.name,
        policyArn: policy.arn,
      });
    },
  },
  {
    class: 3,
    what: 'aws_iam_policy_attachment (roles list) attaches AmazonDynamoDBFullAccess',
    rule: 'CART007',
    path: 'cart/full-access',
    mentions: ['AmazonDynamoDBFullAccess'],
    extend: (f) =>
      new IamPolicyAttachment(f.stacks.cart, 'full-access', {
        name: 'ddb-full',
        roles: [f.role.name],
        policyArn: 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
      }),
  },
  {
    class: 3,
    what: "the role's managed_policy_arns lists AmazonDynamoDBFullAccess",
    rule: 'CART007',
    path: 'cart/role',
    mentions: ['AmazonDynamoDBFullAccess'],
    extend: (f) =>
      f.role.addOverride('managed_policy_arns', ['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess']),
  },
  {
    class: 3,
    what: 'an AWS-managed policy looked up with data.aws_iam_policy is attached',
    rule: 'CART007',
    path: 'cart/managed-lookup',
    mentions: ['AmazonDynamoDBFullAccess'],
    extend: (f) => {
      const managed = new DataAwsIamPolicy(f.stacks.cart, 'ddb-full', { name: 'AmazonDynamoDBFullAccess' });
      new IamRolePolicyAttachment(f.stacks.cart, 'managed-lookup', {
        role: f.role.name,
        policyArn: managed.arn,
      });
    },
  },
  {
    class: 3,
    what: 'the action pattern dynamodb:*Table includes DeleteTable and CreateTable',
    rule: 'CART007',
    path: 'cart/policy',
    mentions: ['dynamodb:*Table', 'dynamodb:DeleteTable'],
    options: {
      statements: (t) => [
        { actions: REQUIRED_DYNAMODB_ACTIONS, resources: both(t.arn) },
        { actions: ['dynamodb:*Table'], resources: [t.arn] },
      ],
    },
    extend: () => undefined,
  },
  {
    class: 3,
    what: 'dynamodb:Delete* (meant for DeleteItem) also allows DeleteTable and DeleteBackup',
    rule: 'CART007',
    path: 'cart/policy',
    mentions: ['dynamodb:Delete*', 'dynamodb:DeleteTable'],
    options: {
      statements: (t) => [
        {
          actions: [
            'dynamodb:GetItem',
            'dynamodb:Query',
            'dynamodb:UpdateItem',
            'dynamodb:BatchWriteItem',
            'dynamodb:Delete*',
          ],
          resources: both(t.arn),
        },
      ],
    },
    extend: () => undefined,
  },
  {
    class: 3,
    what: 'the resource pattern table/* reaches every table in the account',
    rule: 'CART007',
    path: 'cart/policy',
    mentions: ['arn:aws:dynamodb:us-east-1:123456789012:table/*'],
    options: {
      statements: () => [
        {
          actions: REQUIRED_DYNAMODB_ACTIONS,
          resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/*'],
        },
      ],
    },
    extend: () => undefined,
  },
  {
    class: 3,
    what: 'a trailing * after the table ARN reaches every table whose name starts the same',
    rule: 'CART007',
    path: 'cart/policy',
    mentions: [`table/${TABLE_NAME}*`],
    options: { statements: (t) => [{ actions: REQUIRED_DYNAMODB_ACTIONS, resources: [`${t.arn}*`] }] },
    extend: () => undefined,
  },
  {
    class: 3,
    what: "a literal table ARN in another region (copied from the guide's us-west-2)",
    rule: 'CART006',
    path: 'cart/role',
    mentions: ['dynamodb:Query', TABLE_NAME],
    options: {
      statements: () => [
        {
          actions: REQUIRED_DYNAMODB_ACTIONS,
          resources: both(`arn:aws:dynamodb:us-west-2:123456789012:table/${TABLE_NAME}`),
        },
      ],
    },
    extend: () => undefined,
  },
  {
    class: 3,
    what: 'a permissions boundary that leaves out dynamodb:Query',
    rule: 'CART006',
    path: 'cart/role',
    mentions: ['dynamodb:Query', 'permissions boundary'],
    extend: (f) => {
      const boundary = new IamPolicy(f.stacks.cart, 'boundary', {
        name: 'cart-boundary',
        policy: policyDocument([
          {
            actions: [
              'dynamodb:GetItem',
              'dynamodb:PutItem',
              'dynamodb:UpdateItem',
              'dynamodb:DeleteItem',
              'dynamodb:BatchWriteItem',
            ],
            resources: ['*'],
          },
        ]),
      });
      f.role.addOverride('permissions_boundary', boundary.arn);
    },
  },
  {
    class: 3,
    what: 'an Allow with NotAction grants everything but IAM',
    rule: 'CART007',
    path: 'cart/not-action',
    mentions: ['NotAction'],
    extend: (f) =>
      new IamRolePolicy(f.stacks.cart, 'not-action', {
        role: f.role.id,
        name: 'everything-but-iam',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', NotAction: ['iam:*'], Resource: [f.table.arn] }],
        }),
      }),
  },
  {
    class: 3,
    what: 'an aws_iam_policy_document data source that forgets UpdateItem',
    rule: 'CART006',
    path: 'cart/role',
    mentions: ['dynamodb:UpdateItem'],
    extend: (f) => {
      const document = new DataAwsIamPolicyDocument(f.stacks.cart, 'cart-data', {
        statement: [
          {
            actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
            resources: both(f.table.arn),
          },
        ],
      });
      f.rolePolicy.addOverride('policy', document.json);
    },
  },
  {
    class: 3,
    what: 'PowerUserAccess attached by literal ARN',
    rule: 'CART007',
    path: 'cart/power-user',
    mentions: ['PowerUserAccess'],
    extend: (f) =>
      new IamRolePolicyAttachment(f.stacks.cart, 'power-user', {
        role: f.role.name,
        policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
      }),
  },
  {
    class: 3,
    what: 'a Deny on the index written with dynamodb:* takes Query away',
    rule: 'CART006',
    path: 'cart/role',
    mentions: [`index/${CUSTOMER_INDEX_NAME}`],
    options: {
      statements: (t) => [
        { actions: REQUIRED_DYNAMODB_ACTIONS, resources: both(t.arn) },
        { effect: 'Deny', actions: ['dynamodb:*'], resources: [`${t.arn}/index/*`] },
      ],
    },
    extend: () => undefined,
  },
  {
    class: 3,
    what: 'the index ARN is written for every table (table/*/index/*)',
    rule: 'CART007',
    path: 'cart/policy',
    mentions: ['table/*/index/*'],
    options: {
      statements: (t) => [
        {
          actions: REQUIRED_DYNAMODB_ACTIONS,
          resources: [t.arn, 'arn:aws:dynamodb:us-east-1:123456789012:table/*/index/*'],
        },
      ],
    },
    extend: () => undefined,
  },
  {
    class: 3,
    what: "the cart role also reaches another application's table by literal ARN",
    rule: 'CART007',
    path: 'cart/policy',
    mentions: ['table/orders'],
    options: {
      statements: (t) => [
        {
          actions: REQUIRED_DYNAMODB_ACTIONS,
          resources: [...both(t.arn), 'arn:aws:dynamodb:us-east-1:123456789012:table/orders'],
        },
      ],
    },
    extend: () => undefined,
  },
];
