/** EKS control plane: secrets envelope-encrypted with KMS, every log type on, no API endpoint open to the world. */
import { CONTROL_PLANE_LOG_TYPES } from '../../eks-cluster';
import { internetCovered } from '../internet';
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import { block, blocks, bool, strings } from '../values';
import { type GuardrailRule, type Violation } from '../types';

function eachCluster(
  app: SynthesizedApp,
  problem: (cluster: ElementView) => string | undefined,
  fix: string,
): Violation[] {
  return app.resources('aws_eks_cluster').flatMap((cluster) => {
    const message = problem(cluster);
    return message === undefined ? [] : [{ element: cluster, message, fix }];
  });
}

export const clusterSecretsEncryption: GuardrailRule = {
  id: 'CART111',
  title: 'EKS secrets are envelope-encrypted with a KMS key',
  prevents:
    "Kubernetes Secrets are protected only by EKS's default encryption with an AWS-owned key: no key policy, rotation or audit trail of your own.",
  fix: 'add encryption_config { resources = ["secrets"], provider { key_arn = <KMS key> } } (EksCluster does).',
  category: 'baseline',
  checkov: ['CKV_AWS_58'],
  check: (app) =>
    eachCluster(
      app,
      (cluster) => {
        const ok = blocks(cluster.config.encryption_config).some(
          (c) => strings(c.resources).includes('secrets') && block(c.provider)?.key_arn !== undefined,
        );
        return ok ? undefined : 'has no encryption_config for "secrets" with a KMS key.';
      },
      'add encryption_config { resources = ["secrets"], provider { key_arn = <KMS key> } } (EksCluster does).',
    ),
};

export const clusterLogging: GuardrailRule = {
  id: 'CART112',
  title: 'EKS control-plane logging is on for every log type',
  prevents:
    'No audit or authenticator log to find out who changed what in the cluster, or why a role was refused.',
  fix: 'turn on every control-plane log type (enabled_cluster_log_types).',
  category: 'baseline',
  checkov: ['CKV_AWS_37'],
  check: (app) =>
    eachCluster(
      app,
      (cluster) => {
        const enabled = strings(cluster.config.enabled_cluster_log_types);
        const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
        return missing.length === 0 ? undefined : `does not send control-plane logs: ${missing.join(', ')}.`;
      },
      `set enabled_cluster_log_types = [${CONTROL_PLANE_LOG_TYPES.map((t) => `"${t}"`).join(', ')}].`,
    ),
};

export const clusterPublicEndpoint: GuardrailRule = {
  id: 'CART113',
  title: 'The EKS API endpoint is not public to 0.0.0.0/0',
  prevents:
    'The Kubernetes API is reachable from the whole internet: one leaked kubeconfig or API vulnerability away from the cluster.',
  fix: 'set cluster.publicAccessCidrs to your admin/VPN ranges, or endpointPublicAccess: false.',
  category: 'baseline',
  checkov: ['CKV_AWS_38', 'CKV_AWS_39'],
  check: (app) =>
    eachCluster(
      app,
      (cluster) => {
        const vpc = block(cluster.config.vpc_config);
        if (bool(vpc?.endpoint_public_access) === false) return undefined;
        const cidrs =
          vpc?.public_access_cidrs === undefined ? ['0.0.0.0/0'] : strings(vpc.public_access_cidrs);
        const world = internetCovered(cidrs);
        if (world.length === 0) return undefined;
        return cidrs.some((c) => world.includes(c))
          ? `has a public API endpoint open to ${cidrs.join(', ')}.`
          : `has a public API endpoint open to ${cidrs.join(', ')}, which together cover ${world.join(', ')}.`;
      },
      'set cluster.publicAccessCidrs to your admin/VPN ranges, or endpointPublicAccess: false.',
    ),
};
