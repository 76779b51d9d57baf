/** Class 6: the security baseline as Terraform receives it, after overrides and additions. */
import { Aspects } from 'cdktf';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { StatefulSet } from '@cdktf/provider-kubernetes/lib/stateful-set';
import { NAMESPACE } from '../fixture';
import { HARDENED, HARDENED_PROPS, LIMITS, containerOverride, manifestWorkload } from './helpers';
import type { ExtensionMistake } from './types';

export const BASELINE: ExtensionMistake[] = [
  {
    class: 6,
    what: 'a stack-level override switches block_public_policy off on the state bucket',
    rule: 'CART103',
    path: 'state/bucket',
    mentions: ['block_public_policy'],
    extend: (f) =>
      f.stacks.state.addOverride(
        'resource.aws_s3_bucket_public_access_block.public-access-block.block_public_policy',
        false,
      ),
  },
  {
    class: 6,
    what: 'a second bucket policy (for a CI reader) replaces the TLS-only one',
    rule: 'CART104',
    path: 'state/bucket',
    mentions: ['state/ci-read', 'state/tls-only'],
    extend: (f) =>
      new S3BucketPolicy(f.stacks.state, 'ci-read', {
        bucket: f.bucket.id,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::123456789012:role/ci' },
              Action: 's3:GetObject',
              Resource: `${f.bucket.arn}/*`,
            },
          ],
        }),
      }),
  },
  {
    class: 6,
    what: 'node-group remote access with an SSH key and no source security group',
    rule: 'CART151',
    path: 'cluster/node-group',
    mentions: ['ops-key', '0.0.0.0/0'],
    extend: (f) => {
      f.nodeGroup.addOverride('launch_template', undefined);
      f.nodeGroup.addOverride('remote_access', { ec2_ssh_key: 'ops-key' });
    },
  },
  {
    class: 6,
    what: 'a privileged container in a kubernetes_manifest DaemonSet',
    rule: 'CART143',
    path: 'cart-workload/node-tuner',
    mentions: ['node-tuner', 'privileged'],
    extend: (f) =>
      manifestWorkload(f.stacks.workload, 'node-tuner', {
        kind: 'DaemonSet',
        name: 'node-tuner',
        env: [],
        container: { name: 'node-tuner', securityContext: { ...HARDENED, privileged: true } },
      }),
  },
  {
    class: 6,
    what: 'a legacy kubernetes_stateful_set allows privilege escalation',
    rule: 'CART144',
    path: 'cart-workload/cache',
    mentions: ['allow_privilege_escalation'],
    extend: (f) =>
      new StatefulSet(f.stacks.workload, 'cache', {
        metadata: { name: 'cache', namespace: NAMESPACE },
        spec: {
          serviceName: 'cache',
          selector: { matchLabels: { app: 'cache' } },
          template: {
            metadata: { labels: { app: 'cache' } },
            spec: {
              container: [
                {
                  name: 'redis',
                  image: 'redis:7.4',
                  resources: LIMITS,
                  securityContext: { ...HARDENED_PROPS, allowPrivilegeEscalation: true },
                },
              ],
            },
          },
        },
      }),
  },
  {
    class: 6,
    what: 'the cart container adds the SYS_ADMIN capability',
    rule: 'CART143',
    path: 'cart-workload/deployment',
    mentions: ['SYS_ADMIN'],
    extend: (f) => containerOverride(f, 'security_context.capabilities.add', ['SYS_ADMIN']),
  },
  {
    class: 6,
    what: 'an aspect suspends versioning on every bucket to save storage',
    rule: 'CART101',
    path: 'state/bucket',
    mentions: ['Suspended'],
    extend: (f) =>
      Aspects.of(f.stacks.state).add({
        visit: (node) => {
          if (node instanceof S3BucketVersioningA)
            node.addOverride('versioning_configuration.status', 'Suspended');
        },
      }),
  },
];
