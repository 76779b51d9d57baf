/**
 * The gap filler's EKS corrections, through the AWS SDK (which parses answers as the provider's SDK does), against
 * a real moto_server. Each group first shows the gap on moto alone, so a moto release that closes it is noticed.
 */
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  CreateAddonCommand,
  CreateClusterCommand,
  CreateNodegroupCommand,
  CreatePodIdentityAssociationCommand,
  DeleteAccessEntryCommand,
  DeleteAddonCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DeletePodIdentityAssociationCommand,
  DescribeAccessEntryCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribePodIdentityAssociationCommand,
  DescribeUpdateCommand,
  DisassociateAccessPolicyCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAddonsCommand,
  ListAssociatedAccessPoliciesCommand,
  ListPodIdentityAssociationsCommand,
  ListTagsForResourceCommand,
  ListUpdatesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAccessEntryCommand,
  UpdateAddonCommand,
  UpdateClusterConfigCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupConfigCommand,
  UpdateNodegroupVersionCommand,
  UpdatePodIdentityAssociationCommand,
} from '@aws-sdk/client-eks';
import { CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clusterIssuer } from './eks-store';
import { rejection, startFilledEmulator, type FilledEmulator } from './test-emulator';

const ACCOUNT = '123456789012';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
const VIEW_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

let env: FilledEmulator;
let eks: EKSClient;
let motoEks: EKSClient;
const roles: Record<string, string> = {};
let userArn: string;

beforeAll(async () => {
  env = await startFilledEmulator();
  eks = new EKSClient(env.config);
  motoEks = new EKSClient(env.motoConfig);
  const iam = new IAMClient(env.config);
  for (const name of ['cluster', 'node', 'pods', 'admin', 'other']) {
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }),
    );
    roles[name] = created.Role?.Arn as string;
  }
  userArn = (await iam.send(new CreateUserCommand({ UserName: 'alice' }))).User?.Arn as string;
  iam.destroy();
  const vpc = {
    subnetIds: ['subnet-a', 'subnet-b'],
    endpointPublicAccess: true,
    endpointPrivateAccess: true,
  };
  await eks.send(
    new CreateClusterCommand({
      name: 'api',
      roleArn: roles.cluster,
      version: '1.33',
      resourcesVpcConfig: vpc,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      upgradePolicy: { supportType: 'STANDARD' },
      zonalShiftConfig: { enabled: true },
    }),
  );
  await eks.send(
    new CreateClusterCommand({ name: 'legacy', roleArn: roles.cluster, resourcesVpcConfig: vpc }),
  );
});

afterAll(async () => {
  eks?.destroy();
  motoEks?.destroy();
  await env?.stop();
});

describe('eks-cluster-fields', () => {
  test('moto alone: DescribeCluster forgets accessConfig, upgradePolicy and zonalShiftConfig', async () => {
    const { cluster } = await motoEks.send(new DescribeClusterCommand({ name: 'api' }));
    expect([cluster?.accessConfig, cluster?.upgradePolicy, cluster?.zonalShiftConfig]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('DescribeCluster returns what CreateCluster set, and AWS defaults where it set nothing', async () => {
    const api = (await eks.send(new DescribeClusterCommand({ name: 'api' }))).cluster;
    expect(api?.accessConfig).toEqual({
      authenticationMode: 'API',
      bootstrapClusterCreatorAdminPermissions: true,
    });
    expect(api?.upgradePolicy).toEqual({ supportType: 'STANDARD' });
    expect(api?.zonalShiftConfig).toEqual({ enabled: true });
    const legacy = (await eks.send(new DescribeClusterCommand({ name: 'legacy' }))).cluster;
    expect(legacy?.accessConfig).toEqual({
      authenticationMode: 'CONFIG_MAP',
      bootstrapClusterCreatorAdminPermissions: true,
    });
    expect(legacy?.upgradePolicy).toEqual({ supportType: 'EXTENDED' });
    expect(legacy?.zonalShiftConfig).toBeUndefined();
  });

  test('moto alone: every cluster gets the same OIDC issuer', async () => {
    const api = (await motoEks.send(new DescribeClusterCommand({ name: 'api' }))).cluster;
    const legacy = (await motoEks.send(new DescribeClusterCommand({ name: 'legacy' }))).cluster;
    expect(api?.identity?.oidc?.issuer).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\//);
    expect(legacy?.identity?.oidc?.issuer).toBe(api?.identity?.oidc?.issuer);
  });

  test('each cluster has its own OIDC issuer, the same in CreateCluster, DescribeCluster and DeleteCluster', async () => {
    const expected = (name: string) =>
      clusterIssuer(
        'https://oidc.eks.us-east-1.amazonaws.com/id/x',
        `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/${name}`,
      );
    const created = await eks.send(
      new CreateClusterCommand({
        name: 'issuer',
        roleArn: roles.cluster,
        resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-b'] },
      }),
    );
    const described = await eks.send(new DescribeClusterCommand({ name: 'issuer' }));
    const api = await eks.send(new DescribeClusterCommand({ name: 'api' }));
    const deleted = await eks.send(new DeleteClusterCommand({ name: 'issuer' }));
    expect([
      created.cluster?.identity?.oidc?.issuer,
      described.cluster?.identity?.oidc?.issuer,
      deleted.cluster?.identity?.oidc?.issuer,
      api.cluster?.identity?.oidc?.issuer,
    ]).toEqual([expected('issuer'), expected('issuer'), expected('issuer'), expected('api')]);
    expect(expected('issuer')).not.toBe(expected('api'));
  });

  test('UpdateClusterConfig answers an update DescribeUpdate knows; the VPC config is merged, not replaced', async () => {
    const { update } = await eks.send(
      new UpdateClusterConfigCommand({ name: 'api', resourcesVpcConfig: { endpointPublicAccess: false } }),
    );
    expect(update).toMatchObject({ status: 'Successful', type: 'EndpointAccessUpdate' });
    const described = await eks.send(new DescribeUpdateCommand({ name: 'api', updateId: update?.id }));
    expect(described.update?.status).toBe('Successful');
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'api' }));
    expect(cluster?.resourcesVpcConfig).toMatchObject({
      subnetIds: ['subnet-a', 'subnet-b'],
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
    });
    await eks.send(
      new UpdateClusterConfigCommand({ name: 'api', upgradePolicy: { supportType: 'EXTENDED' } }),
    );
    expect((await eks.send(new DescribeClusterCommand({ name: 'api' }))).cluster?.upgradePolicy).toEqual({
      supportType: 'EXTENDED',
    });
  });

  test('the authentication mode moves towards API only', async () => {
    await eks.send(
      new UpdateClusterConfigCommand({
        name: 'legacy',
        accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
      }),
    );
    const back = await rejection(
      eks.send(
        new UpdateClusterConfigCommand({
          name: 'legacy',
          accessConfig: { authenticationMode: 'CONFIG_MAP' },
        }),
      ),
    );
    expect([back.name, back.message]).toEqual([
      'InvalidParameterException',
      'Unsupported authentication mode update from API_AND_CONFIG_MAP to CONFIG_MAP',
    ]);
  });
});

describe('eks-updates', () => {
  test('moto alone has no DescribeUpdate', async () => {
    const error = await rejection(motoEks.send(new DescribeUpdateCommand({ name: 'api', updateId: 'x' })));
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  test('UpdateClusterVersion goes one minor version at a time', async () => {
    const { update } = await eks.send(new UpdateClusterVersionCommand({ name: 'legacy', version: '1.20' }));
    expect(update).toMatchObject({ status: 'Successful', type: 'VersionUpdate' });
    expect((await eks.send(new DescribeClusterCommand({ name: 'legacy' }))).cluster?.version).toBe('1.20');
    const skip = await rejection(
      eks.send(new UpdateClusterVersionCommand({ name: 'legacy', version: '1.22' })),
    );
    expect([skip.name, skip.message]).toEqual([
      'InvalidParameterException',
      'Unsupported Kubernetes minor version update from 1.20 to 1.22',
    ]);
  });

  test('an unknown update id is ResourceNotFoundException', async () => {
    const error = await rejection(eks.send(new DescribeUpdateCommand({ name: 'api', updateId: 'nope' })));
    expect([error.name, error.message]).toEqual([
      'ResourceNotFoundException',
      'No update found for ID: nope',
    ]);
  });
});

describe('eks-addons', () => {
  test('moto alone has no CreateAddon', async () => {
    const error = await rejection(
      motoEks.send(new CreateAddonCommand({ clusterName: 'api', addonName: 'x' })),
    );
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  test('an add-on is ACTIVE at once, with an ARN like AWS’s and its tags', async () => {
    const { addon } = await eks.send(
      new CreateAddonCommand({
        clusterName: 'api',
        addonName: 'vpc-cni',
        addonVersion: 'v1.20.4-eksbuild.1',
        resolveConflicts: 'OVERWRITE',
        tags: { Project: 'retail-store' },
      }),
    );
    expect(addon).toMatchObject({ status: 'ACTIVE', addonVersion: 'v1.20.4-eksbuild.1', clusterName: 'api' });
    expect(addon?.addonArn).toMatch(
      new RegExp(`^arn:aws:eks:us-east-1:${ACCOUNT}:addon/api/vpc-cni/[0-9a-f-]{36}$`),
    );
    const described = await eks.send(new DescribeAddonCommand({ clusterName: 'api', addonName: 'vpc-cni' }));
    expect(described.addon?.tags).toEqual({ Project: 'retail-store' });
    expect((await eks.send(new ListAddonsCommand({ clusterName: 'api' }))).addons).toEqual(['vpc-cni']);
  });

  test.each<[string, () => Promise<unknown>, string, string]>([
    [
      'an unknown cluster',
      () => eks.send(new CreateAddonCommand({ clusterName: 'nope', addonName: 'vpc-cni' })),
      'ResourceNotFoundException',
      'No cluster found for name: nope.',
    ],
    [
      'a second add-on of the same name',
      () => eks.send(new CreateAddonCommand({ clusterName: 'api', addonName: 'vpc-cni' })),
      'ResourceInUseException',
      'Addon already exists.',
    ],
    [
      'an unknown add-on',
      () => eks.send(new DescribeAddonCommand({ clusterName: 'api', addonName: 'coredns' })),
      'ResourceNotFoundException',
      'No addon: coredns found in cluster: api',
    ],
  ])('refuses %s', async (_label, call, name, message) => {
    const error = await rejection(call());
    expect([error.name, error.message]).toEqual([name, message]);
  });

  test('podIdentityAssociations become associations the add-on owns; they go with it', async () => {
    const { addon } = await eks.send(
      new CreateAddonCommand({
        clusterName: 'api',
        addonName: 'aws-ebs-csi-driver',
        podIdentityAssociations: [{ serviceAccount: 'ebs-csi-controller-sa', roleArn: roles.pods }],
      }),
    );
    expect(addon?.addonVersion).toBe('v1.0.0-eksbuild.1');
    const [arn] = addon?.podIdentityAssociations ?? [];
    const id = arn.split('/')[2];
    const { association } = await eks.send(
      new DescribePodIdentityAssociationCommand({ clusterName: 'api', associationId: id }),
    );
    expect(association).toMatchObject({
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      roleArn: roles.pods,
      ownerArn: addon?.addonArn,
    });
    const { update } = await eks.send(
      new UpdateAddonCommand({
        clusterName: 'api',
        addonName: 'aws-ebs-csi-driver',
        addonVersion: 'v1.51.1-eksbuild.1',
      }),
    );
    const described = await eks.send(
      new DescribeUpdateCommand({ name: 'api', updateId: update?.id, addonName: 'aws-ebs-csi-driver' }),
    );
    expect(described.update).toMatchObject({ status: 'Successful', type: 'AddonUpdate' });
    const updates = await eks.send(new ListUpdatesCommand({ name: 'api', addonName: 'aws-ebs-csi-driver' }));
    expect(updates.updateIds).toEqual([update?.id]);

    const deleted = await eks.send(
      new DeleteAddonCommand({ clusterName: 'api', addonName: 'aws-ebs-csi-driver' }),
    );
    expect(deleted.addon?.status).toBe('DELETING');
    const gone = await rejection(
      eks.send(new DescribeAddonCommand({ clusterName: 'api', addonName: 'aws-ebs-csi-driver' })),
    );
    expect(gone.name).toBe('ResourceNotFoundException');
    const orphan = await rejection(
      eks.send(new DescribePodIdentityAssociationCommand({ clusterName: 'api', associationId: id })),
    );
    expect(orphan.name).toBe('ResourceNotFoundException');
  });

  test('an add-on association with a role IAM does not have is refused', async () => {
    const error = await rejection(
      eks.send(
        new CreateAddonCommand({
          clusterName: 'api',
          addonName: 'aws-efs-csi-driver',
          podIdentityAssociations: [
            { serviceAccount: 'efs', roleArn: `arn:aws:iam::${ACCOUNT}:role/missing` },
          ],
        }),
      ),
    );
    expect([error.name, error.message]).toEqual([
      'InvalidParameterException',
      'Role provided in the request does not exist',
    ]);
  });

  test('add-ons are tagged by ARN', async () => {
    const { addon } = await eks.send(new DescribeAddonCommand({ clusterName: 'api', addonName: 'vpc-cni' }));
    await eks.send(new TagResourceCommand({ resourceArn: addon?.addonArn, tags: { Team: 'platform' } }));
    await eks.send(new UntagResourceCommand({ resourceArn: addon?.addonArn, tagKeys: ['Project'] }));
    const { tags } = await eks.send(new ListTagsForResourceCommand({ resourceArn: addon?.addonArn }));
    expect(tags).toEqual({ Team: 'platform' });
  });
});

describe('eks-pod-identity', () => {
  let id: string;

  test('moto alone has no CreatePodIdentityAssociation', async () => {
    const error = await rejection(
      motoEks.send(
        new CreatePodIdentityAssociationCommand({
          clusterName: 'api',
          namespace: 'n',
          serviceAccount: 's',
          roleArn: roles.pods,
        }),
      ),
    );
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  test('an association has an id and ARN like AWS’s, and is listed by namespace', async () => {
    const { association } = await eks.send(
      new CreatePodIdentityAssociationCommand({
        clusterName: 'api',
        namespace: 'carts',
        serviceAccount: 'carts',
        roleArn: roles.pods,
        tags: { Project: 'retail-store' },
      }),
    );
    id = association?.associationId as string;
    expect(id).toMatch(/^a-[a-z0-9]{17}$/);
    expect(association?.associationArn).toBe(
      `arn:aws:eks:us-east-1:${ACCOUNT}:podidentityassociation/api/${id}`,
    );
    const described = await eks.send(
      new DescribePodIdentityAssociationCommand({ clusterName: 'api', associationId: id }),
    );
    expect(described.association).toMatchObject({ roleArn: roles.pods, tags: { Project: 'retail-store' } });
    const listed = await eks.send(
      new ListPodIdentityAssociationsCommand({ clusterName: 'api', namespace: 'carts' }),
    );
    expect(listed.associations?.map((a) => a.associationId)).toEqual([id]);
    const none = await eks.send(
      new ListPodIdentityAssociationsCommand({ clusterName: 'api', namespace: 'other' }),
    );
    expect(none.associations).toEqual([]);
  });

  test.each<[string, () => Record<string, string>, string, string]>([
    [
      'a second association for the same service account',
      () => ({ namespace: 'carts', serviceAccount: 'carts', roleArn: roles.other }),
      'ResourceInUseException',
      'Association already exists: ',
    ],
    [
      'a role IAM does not have',
      () => ({ namespace: 'x', serviceAccount: 'y', roleArn: `arn:aws:iam::${ACCOUNT}:role/missing` }),
      'InvalidParameterException',
      'Role provided in the request does not exist',
    ],
  ])('refuses %s', async (_label, fields, name, message) => {
    const { namespace, serviceAccount, roleArn } = fields();
    const error = await rejection(
      eks.send(
        new CreatePodIdentityAssociationCommand({ clusterName: 'api', namespace, serviceAccount, roleArn }),
      ),
    );
    expect(error.name).toBe(name);
    expect(error.message.startsWith(message)).toBe(true);
  });

  test('updated, then deleted', async () => {
    await eks.send(
      new UpdatePodIdentityAssociationCommand({
        clusterName: 'api',
        associationId: id,
        roleArn: roles.other,
      }),
    );
    const described = await eks.send(
      new DescribePodIdentityAssociationCommand({ clusterName: 'api', associationId: id }),
    );
    expect(described.association?.roleArn).toBe(roles.other);
    await eks.send(new DeletePodIdentityAssociationCommand({ clusterName: 'api', associationId: id }));
    const gone = await rejection(
      eks.send(new DescribePodIdentityAssociationCommand({ clusterName: 'api', associationId: id })),
    );
    expect([gone.name, gone.message]).toEqual([
      'ResourceNotFoundException',
      `No Pod Identity Association found for id: ${id}`,
    ]);
  });
});

describe('eks-access-entries', () => {
  test('moto alone has no access entries', async () => {
    const error = await rejection(motoEks.send(new ListAccessEntriesCommand({ clusterName: 'api' })));
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  test('the cluster creator has one, with cluster admin (bootstrapClusterCreatorAdminPermissions)', async () => {
    const creator = `arn:aws:iam::${ACCOUNT}:user/moto`;
    expect((await eks.send(new ListAccessEntriesCommand({ clusterName: 'api' }))).accessEntries).toEqual([
      creator,
    ]);
    const policies = await eks.send(
      new ListAssociatedAccessPoliciesCommand({ clusterName: 'api', principalArn: creator }),
    );
    expect(policies.associatedAccessPolicies?.map((p) => [p.policyArn, p.accessScope?.type])).toEqual([
      [ADMIN_POLICY, 'cluster'],
    ]);
  });

  test('a CONFIG_MAP cluster has none', async () => {
    await eks.send(
      new CreateClusterCommand({
        name: 'configmap',
        roleArn: roles.cluster,
        resourcesVpcConfig: { subnetIds: ['s'] },
      }),
    );
    const error = await rejection(
      eks.send(new CreateAccessEntryCommand({ clusterName: 'configmap', principalArn: roles.admin })),
    );
    expect(error.name).toBe('InvalidRequestException');
    await eks.send(new DeleteClusterCommand({ name: 'configmap' }));
  });

  test('STANDARD and EC2_LINUX entries read back as AWS derives them', async () => {
    const { accessEntry } = await eks.send(
      new CreateAccessEntryCommand({
        clusterName: 'api',
        principalArn: roles.admin,
        kubernetesGroups: ['developers'],
      }),
    );
    expect(accessEntry).toMatchObject({
      type: 'STANDARD',
      kubernetesGroups: ['developers'],
      username: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/{{SessionName}}`,
    });
    expect(accessEntry?.accessEntryArn).toMatch(
      new RegExp(`^arn:aws:eks:us-east-1:${ACCOUNT}:access-entry/api/role/${ACCOUNT}/admin/[0-9a-f-]{36}$`),
    );
    const nodes = await eks.send(
      new CreateAccessEntryCommand({ clusterName: 'api', principalArn: roles.other, type: 'EC2_LINUX' }),
    );
    expect(nodes.accessEntry).toMatchObject({
      type: 'EC2_LINUX',
      kubernetesGroups: ['system:nodes'],
      username: 'system:node:{{EC2PrivateDNSName}}',
    });
    const user = await eks.send(new CreateAccessEntryCommand({ clusterName: 'api', principalArn: userArn }));
    expect(user.accessEntry?.username).toBe(userArn);
  });

  test.each<
    [string, () => { principalArn: string; type?: string; kubernetesGroups?: string[] }, string, string]
  >([
    [
      'a system: group',
      () => ({ principalArn: roles.pods, kubernetesGroups: ['system:masters'] }),
      'InvalidParameterException',
      'The kubernetes group name system:masters is invalid, it cannot start with system:',
    ],
    [
      'groups on a node entry',
      () => ({ principalArn: roles.pods, type: 'EC2_LINUX', kubernetesGroups: ['x'] }),
      'InvalidParameterException',
      'Kubernetes groups cannot be specified for type EC2_LINUX',
    ],
    [
      'a user as a node',
      () => ({ principalArn: userArn, type: 'EC2_LINUX' }),
      'InvalidParameterException',
      'The principalArn of a EC2_LINUX access entry must be an IAM role',
    ],
    [
      'an STS session',
      () => ({ principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/me` }),
      'InvalidParameterException',
      `The specified principalArn is invalid: arn:aws:sts::${ACCOUNT}:assumed-role/admin/me`,
    ],
    [
      'a role IAM does not have',
      () => ({ principalArn: `arn:aws:iam::${ACCOUNT}:role/missing` }),
      'InvalidParameterException',
      `The specified principalArn is invalid: invalid principal arn:aws:iam::${ACCOUNT}:role/missing`,
    ],
    [
      'a second entry for a principal',
      () => ({ principalArn: roles.admin }),
      'ResourceInUseException',
      'The specified access entry resource is already in use on this cluster.',
    ],
  ])('refuses %s', async (_label, input, name, message) => {
    const error = await rejection(eks.send(new CreateAccessEntryCommand({ clusterName: 'api', ...input() })));
    expect([error.name, error.message]).toEqual([name, message]);
  });

  test('access policies: associated, re-scoped, listed, filtered, disassociated', async () => {
    const associate = (namespaces: string[]) =>
      eks.send(
        new AssociateAccessPolicyCommand({
          clusterName: 'api',
          principalArn: roles.admin,
          policyArn: VIEW_POLICY,
          accessScope: { type: 'namespace', namespaces },
        }),
      );
    await associate(['carts']);
    const rescoped = await associate(['carts', 'ui']);
    expect(rescoped.associatedAccessPolicy?.accessScope).toEqual({
      type: 'namespace',
      namespaces: ['carts', 'ui'],
    });
    const listed = await eks.send(
      new ListAssociatedAccessPoliciesCommand({ clusterName: 'api', principalArn: roles.admin }),
    );
    expect(listed.associatedAccessPolicies?.map((p) => p.policyArn)).toEqual([VIEW_POLICY]);
    const viewers = await eks.send(
      new ListAccessEntriesCommand({ clusterName: 'api', associatedPolicyArn: VIEW_POLICY }),
    );
    expect(viewers.accessEntries).toEqual([roles.admin]);
    await eks.send(
      new DisassociateAccessPolicyCommand({
        clusterName: 'api',
        principalArn: roles.admin,
        policyArn: VIEW_POLICY,
      }),
    );
    const after = await eks.send(
      new ListAssociatedAccessPoliciesCommand({ clusterName: 'api', principalArn: roles.admin }),
    );
    expect(after.associatedAccessPolicies).toEqual([]);
  });

  test.each<
    [
      string,
      () => {
        principalArn: string;
        policyArn: string;
        accessScope: { type: 'cluster' | 'namespace'; namespaces?: string[] };
      },
      string,
    ]
  >([
    [
      'on a node entry',
      () => ({ principalArn: roles.other, policyArn: VIEW_POLICY, accessScope: { type: 'cluster' } }),
      'InvalidRequestException',
    ],
    [
      'a namespace scope without namespaces',
      () => ({ principalArn: roles.admin, policyArn: VIEW_POLICY, accessScope: { type: 'namespace' } }),
      'InvalidParameterException',
    ],
    [
      'a policy that is not an access policy',
      () => ({
        principalArn: roles.admin,
        policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        accessScope: { type: 'cluster' },
      }),
      'InvalidParameterException',
    ],
  ])('refuses an access policy %s', async (_label, input, name) => {
    const error = await rejection(
      eks.send(new AssociateAccessPolicyCommand({ clusterName: 'api', ...input() })),
    );
    expect(error.name).toBe(name);
  });

  test('updated, then deleted', async () => {
    await eks.send(
      new UpdateAccessEntryCommand({
        clusterName: 'api',
        principalArn: roles.admin,
        kubernetesGroups: ['ops'],
      }),
    );
    const { accessEntry } = await eks.send(
      new DescribeAccessEntryCommand({ clusterName: 'api', principalArn: roles.admin }),
    );
    expect(accessEntry?.kubernetesGroups).toEqual(['ops']);
    await eks.send(new DeleteAccessEntryCommand({ clusterName: 'api', principalArn: roles.admin }));
    const gone = await rejection(
      eks.send(new DescribeAccessEntryCommand({ clusterName: 'api', principalArn: roles.admin })),
    );
    expect([gone.name, gone.message]).toEqual([
      'ResourceNotFoundException',
      "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.",
    ]);
  });
});

describe('eks-nodegroups', () => {
  const nodegroup = (name: string) => ({ clusterName: 'api', nodegroupName: name });

  test('moto alone invents remote access and drops the update configuration', async () => {
    const { nodegroup: created } = await motoEks.send(
      new CreateNodegroupCommand({
        ...nodegroup('direct'),
        nodeRole: roles.node,
        subnets: ['subnet-a'],
        updateConfig: { maxUnavailable: 2 },
      }),
    );
    expect([created?.remoteAccess, created?.updateConfig]).toEqual([{ ec2SshKey: 'eksKeypair' }, undefined]);
    await motoEks.send(new DeleteNodegroupCommand(nodegroup('direct')));
  });

  test('a node group reads back as created; its role gets an EC2_LINUX access entry', async () => {
    await eks.send(
      new CreateNodegroupCommand({
        ...nodegroup('general'),
        nodeRole: roles.node,
        subnets: ['subnet-a'],
        updateConfig: { maxUnavailable: 2 },
      }),
    );
    const described = (await eks.send(new DescribeNodegroupCommand(nodegroup('general')))).nodegroup;
    expect(described?.remoteAccess).toBeUndefined();
    expect(described?.resources?.remoteAccessSecurityGroup).toBeUndefined();
    expect(described?.updateConfig).toEqual({ maxUnavailable: 2 });
    const entry = await eks.send(
      new DescribeAccessEntryCommand({ clusterName: 'api', principalArn: roles.node }),
    );
    expect(entry.accessEntry?.type).toBe('EC2_LINUX');
    const twice = await rejection(
      eks.send(new CreateAccessEntryCommand({ clusterName: 'api', principalArn: roles.node })),
    );
    expect(twice.name).toBe('ResourceInUseException');

    await eks.send(
      new CreateNodegroupCommand({ ...nodegroup('plain'), nodeRole: roles.node, subnets: ['subnet-a'] }),
    );
    const plain = (await eks.send(new DescribeNodegroupCommand(nodegroup('plain')))).nodegroup;
    expect(plain?.updateConfig).toEqual({ maxUnavailable: 1 });
  });

  test('UpdateNodegroupConfig and UpdateNodegroupVersion: described updates, read back', async () => {
    const config = await eks.send(
      new UpdateNodegroupConfigCommand({
        ...nodegroup('general'),
        updateConfig: { maxUnavailablePercentage: 50 },
      }),
    );
    const version = await eks.send(
      new UpdateNodegroupVersionCommand({ ...nodegroup('general'), version: '1.34' }),
    );
    for (const id of [config.update?.id, version.update?.id]) {
      const { update } = await eks.send(
        new DescribeUpdateCommand({ name: 'api', updateId: id, nodegroupName: 'general' }),
      );
      expect(update?.status).toBe('Successful');
    }
    const described = (await eks.send(new DescribeNodegroupCommand(nodegroup('general')))).nodegroup;
    expect([described?.updateConfig, described?.version]).toEqual([{ maxUnavailablePercentage: 50 }, '1.34']);
  });

  test('node groups are tagged (moto alone tags clusters only)', async () => {
    const arn = (await eks.send(new DescribeNodegroupCommand(nodegroup('general')))).nodegroup?.nodegroupArn;
    const error = await rejection(
      motoEks.send(new TagResourceCommand({ resourceArn: arn, tags: { a: 'b' } })),
    );
    expect(error.$metadata?.httpStatusCode).toBe(404);
    await eks.send(new TagResourceCommand({ resourceArn: arn, tags: { Team: 'platform' } }));
    expect((await eks.send(new DescribeNodegroupCommand(nodegroup('general')))).nodegroup?.tags).toEqual({
      Team: 'platform',
    });
    await eks.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['Team'] }));
    expect((await eks.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({});
  });
});

test('deleting the clusters leaves the filler holding nothing; every EKS correction was exercised', async () => {
  for (const name of ['general', 'plain'])
    await eks.send(new DeleteNodegroupCommand({ clusterName: 'api', nodegroupName: name }));
  for (const name of ['api', 'legacy']) await eks.send(new DeleteClusterCommand({ name }));
  expect(env.filler.held()).toEqual({
    eksAddons: [],
    eksPodIdentityAssociations: [],
    eksAccessEntries: [],
    s3BucketSettings: [],
  });
  const unused = env.filler.usage().filter((u) => u.name.startsWith('eks-') && u.total === 0);
  expect(unused.map((u) => u.name)).toEqual([]);
});
