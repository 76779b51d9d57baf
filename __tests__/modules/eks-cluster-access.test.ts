import { describe, expect, test } from 'vitest';
import { EksClusterAccess, type EksClusterAccessProps } from '../../modules/eks-cluster-access';
import { resourcesOf, synthScope } from '../helpers/synth';

const ADMIN = 'arn:aws:iam::123456789012:role/platform-admins';
const TEAMMATE = 'arn:aws:iam::123456789012:user/alice';
const DEPLOYER = 'arn:aws:iam::123456789012:role/ci-deployer';
const PROPS: EksClusterAccessProps = { clusterName: 'retail-prod-eks', partition: 'aws', admins: [ADMIN] };
const ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

function synth(props: Partial<EksClusterAccessProps>) {
  return synthScope((scope) => new EksClusterAccess(scope, 'access', { ...PROPS, ...props }));
}

describe('EksClusterAccess', () => {
  test('an admin: a STANDARD access entry and cluster-admin at cluster scope', () => {
    const json = synth({});
    expect(resourcesOf(json, 'aws_eks_access_entry')).toEqual([
      { cluster_name: 'retail-prod-eks', principal_arn: ADMIN, type: 'STANDARD' },
    ]);
    expect(resourcesOf(json, 'aws_eks_access_policy_association')).toEqual([
      {
        cluster_name: 'retail-prod-eks',
        principal_arn: expect.stringMatching(
          /^\$\{aws_eks_access_entry\.access_admin-123456789012-role-platform-admins_[0-9A-F]+\.principal_arn\}$/,
        ),
        policy_arn: ADMIN_POLICY,
        access_scope: { type: 'cluster' },
      },
    ]);
  });

  test('the CI deployer gets its own entry and cluster-admin', () => {
    const json = synth({ admins: [], deployer: DEPLOYER });
    expect(resourcesOf(json, 'aws_eks_access_entry')).toEqual([
      { cluster_name: 'retail-prod-eks', principal_arn: DEPLOYER, type: 'STANDARD' },
    ]);
    expect(resourcesOf(json, 'aws_eks_access_policy_association').map((a) => a.policy_arn)).toEqual([
      ADMIN_POLICY,
    ]);
  });

  test('several admins and a deployer: one entry and one association each, keyed by principal', () => {
    const json = synth({ admins: [ADMIN, TEAMMATE], deployer: DEPLOYER });
    expect(resourcesOf(json, 'aws_eks_access_entry').map((e) => e.principal_arn)).toEqual([
      ADMIN,
      TEAMMATE,
      DEPLOYER,
    ]);
    expect(resourcesOf(json, 'aws_eks_access_policy_association')).toHaveLength(3);
    expect(
      Object.keys(json.resource?.aws_eks_access_entry ?? {}).map((k) => k.replace(/_[0-9A-F]+$/, '')),
    ).toEqual([
      'access_admin-123456789012-role-platform-admins',
      'access_admin-123456789012-user-alice',
      'access_deployer-123456789012-role-ci-deployer',
    ]);
  });

  test('no admins and no deployer: nothing (the creator, if creatorAdmin, is the only way in)', () => {
    const json = synth({ admins: [] });
    expect(resourcesOf(json, 'aws_eks_access_entry')).toEqual([]);
    expect(resourcesOf(json, 'aws_eks_access_policy_association')).toEqual([]);
  });

  test('the GovCloud partition names its own policy ARN', () => {
    const json = synth({ partition: 'aws-us-gov', admins: ['arn:aws-us-gov:iam::123456789012:role/admins'] });
    expect(resourcesOf(json, 'aws_eks_access_policy_association')[0].policy_arn).toBe(
      'arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
    );
  });

  test('a principal listed as admin and deployer is refused (one access entry per principal)', () => {
    expect(() => synth({ admins: [DEPLOYER], deployer: DEPLOYER })).toThrow(
      `EksClusterAccess: "${DEPLOYER}" is listed twice (admins and deployer); EKS allows one access entry per principal`,
    );
  });
});
