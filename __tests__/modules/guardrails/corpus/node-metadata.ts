/** Class 5: every path from a pod to the node's instance metadata service (and the node role). */
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { DaemonSetV1 } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import { NAMESPACE } from '../fixture';
import { HARDENED_PROPS, LIMITS, manifestObject, podOverride } from './helpers';
import type { ExtensionMistake } from './types';

const nodeClass = (metadataOptions?: Record<string, unknown>) => ({
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name: 'default' },
  spec: {
    role: 'KarpenterNodeRole-retail-prod-eks',
    amiSelectorTerms: [{ alias: 'al2023@latest' }],
    subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'retail-prod-eks' } }],
    securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'retail-prod-eks' } }],
    ...(metadataOptions !== undefined && { metadataOptions }),
  },
});

export const NODE_METADATA: ExtensionMistake[] = [
  {
    class: 5,
    what: 'an override on the launch template allows IMDSv1',
    rule: 'CART008',
    path: 'cluster/launch-template',
    mentions: ['http_tokens', 'optional'],
    extend: (f) => f.launchTemplate.addOverride('metadata_options.http_tokens', 'optional'),
  },
  {
    class: 5,
    what: 'a second node group uses a launch template the app does not define',
    rule: 'CART008',
    path: 'cluster/gpu-nodes',
    mentions: ['lt-0abc1234def567890'],
    extend: (f) =>
      new EksNodeGroup(f.stacks.cluster, 'gpu-nodes', {
        clusterName: f.cluster.name,
        nodeGroupName: 'gpu',
        nodeRoleArn: 'arn:aws:iam::123456789012:role/retail-prod-eks-node',
        subnetIds: ['subnet-1', 'subnet-2'],
        scalingConfig: { desiredSize: 1, minSize: 0, maxSize: 2 },
        launchTemplate: { id: 'lt-0abc1234def567890', version: '3' },
      }),
  },
  {
    class: 5,
    what: 'a second node group without a launch template',
    rule: 'CART008',
    path: 'cluster/batch-nodes',
    mentions: ['no launch template'],
    extend: (f) =>
      new EksNodeGroup(f.stacks.cluster, 'batch-nodes', {
        clusterName: f.cluster.name,
        nodeGroupName: 'batch',
        nodeRoleArn: 'arn:aws:iam::123456789012:role/retail-prod-eks-node',
        subnetIds: ['subnet-1', 'subnet-2'],
        scalingConfig: { desiredSize: 1, minSize: 0, maxSize: 2 },
      }),
  },
  {
    class: 5,
    what: 'a Karpenter EC2NodeClass raises the hop limit to 2',
    rule: 'CART008',
    path: 'cart-workload/node-class',
    mentions: ['httpPutResponseHopLimit', '2'],
    extend: (f) =>
      manifestObject(
        f.stacks.workload,
        'node-class',
        nodeClass({ httpTokens: 'required', httpPutResponseHopLimit: 2 }),
      ),
  },
  {
    class: 5,
    what: 'a Karpenter EC2NodeClass allows IMDSv1',
    rule: 'CART008',
    path: 'cart-workload/node-class',
    mentions: ['httpTokens', 'optional'],
    extend: (f) => manifestObject(f.stacks.workload, 'node-class', nodeClass({ httpTokens: 'optional' })),
  },
  {
    class: 5,
    what: 'the cart pods run with hostNetwork',
    rule: 'CART008',
    path: 'cart-workload/deployment',
    mentions: ['host_network'],
    extend: (f) => podOverride(f, 'host_network', true),
  },
  {
    class: 5,
    what: 'a log-shipping DaemonSet runs on the host network',
    rule: 'CART008',
    path: 'cart-workload/log-shipper',
    mentions: ['host_network'],
    extend: (f) =>
      new DaemonSetV1(f.stacks.workload, 'log-shipper', {
        metadata: { name: 'log-shipper', namespace: NAMESPACE },
        spec: {
          selector: { matchLabels: { app: 'log-shipper' } },
          template: {
            metadata: { labels: { app: 'log-shipper' } },
            spec: {
              hostNetwork: true,
              container: [
                {
                  name: 'shipper',
                  image: 'fluent/fluent-bit:3.2',
                  resources: LIMITS,
                  securityContext: HARDENED_PROPS,
                },
              ],
            },
          },
        },
      }),
  },
];
