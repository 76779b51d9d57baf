import { describe, expect, test } from 'vitest';
import { EksNodeRole } from '../../modules/eks-node-role';
import { ManagedNodeGroup, type ManagedNodeGroupProps } from '../../modules/managed-node-group';
import { onlyResource, parsePolicy, resourcesOf, synthScope } from '../helpers/synth';

const PROPS: ManagedNodeGroupProps = {
  clusterName: 'retail-dev-eksdemo',
  name: 'general',
  nodeRoleArn: 'arn:aws:iam::123456789012:role/node',
  subnetIds: ['subnet-a', 'subnet-b'],
  instanceTypes: ['t3.medium'],
  desiredSize: 2,
  minSize: 2,
  maxSize: 5,
};

describe('ManagedNodeGroup', () => {
  test('minimal props: launch template requires IMDSv2 with hop limit 1 and encrypted gp3', () => {
    const json = synthScope((scope) => new ManagedNodeGroup(scope, 'ng', PROPS));
    const template = onlyResource(json, 'aws_launch_template');
    expect(template.metadata_options).toEqual({
      http_endpoint: 'enabled',
      http_tokens: 'required',
      http_put_response_hop_limit: 1,
      instance_metadata_tags: 'disabled',
    });
    expect(template.block_device_mappings).toEqual([
      {
        device_name: '/dev/xvda',
        ebs: { volume_size: 20, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' },
      },
    ]);
  });

  test('minimal props: node group on the launch template, AL2023, on-demand, sizes and update config', () => {
    const json = synthScope((scope) => new ManagedNodeGroup(scope, 'ng', PROPS));
    const group = onlyResource(json, 'aws_eks_node_group');
    expect(group).toMatchObject({
      cluster_name: 'retail-dev-eksdemo',
      node_group_name: 'general',
      ami_type: 'AL2023_x86_64_STANDARD',
      capacity_type: 'ON_DEMAND',
      instance_types: ['t3.medium'],
      subnet_ids: ['subnet-a', 'subnet-b'],
      scaling_config: { desired_size: 2, min_size: 2, max_size: 5 },
      update_config: { max_unavailable: 1 },
      lifecycle: { ignore_changes: ['scaling_config[0].desired_size'] },
    });
    expect(group.disk_size).toBeUndefined();
    expect((group.launch_template as Record<string, string>).id).toMatch(
      /^\$\{aws_launch_template\.ng_launch-template_[0-9A-F]+\.id\}$/,
    );
  });

  test('labels, taints and spot capacity', () => {
    const json = synthScope(
      (scope) =>
        new ManagedNodeGroup(scope, 'ng', {
          ...PROPS,
          capacityType: 'SPOT',
          labels: { workload: 'batch' },
          taints: [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }],
        }),
    );
    const group = onlyResource(json, 'aws_eks_node_group');
    expect(group.capacity_type).toBe('SPOT');
    expect(group.labels).toEqual({ workload: 'batch' });
    expect(group.taint).toEqual([{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }]);
  });

  test.each<[string, Partial<ManagedNodeGroupProps>, string]>([
    ['desired is above max', { desiredSize: 6 }, 'minSize (2) <= desiredSize (6) <= maxSize (5)'],
    ['min is above desired', { minSize: 3 }, 'minSize (3) <= desiredSize (2) <= maxSize (5)'],
    ['no instance types', { instanceTypes: [] }, 'instanceTypes: give at least one instance type'],
    ['hop limit is 0', { metadataHopLimit: 0 }, 'metadataHopLimit: 0 must be an integer from 1 to 64'],
    [
      'capacity type is unknown',
      { capacityType: 'RESERVED' as never },
      'capacityType: "RESERVED" not allowed; use ON_DEMAND or SPOT',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synthScope((scope) => new ManagedNodeGroup(scope, 'ng', { ...PROPS, ...override }))).toThrow(
      message,
    );
  });
});

describe('EksNodeRole', () => {
  test('trusted by EC2, with the worker, CNI, ECR read-only and SSM policies', () => {
    const json = synthScope(
      (scope) => new EksNodeRole(scope, 'nodes', { name: 'retail-dev-node', partition: 'aws' }),
    );
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('retail-dev-node');
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
  });
});
