import { Fn } from 'cdktf';
import type { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';

/** How the Kubernetes and Helm providers reach an EKS cluster (cross-stack references from the cluster stack). */
export interface EksConnection {
  readonly clusterName: string;
  /** API server URL. */
  readonly endpoint: string;
  /** Base64 certificate authority data, as EKS returns it. */
  readonly certificateAuthorityData: string;
  /** Region of the cluster (the `aws eks get-token` call). */
  readonly region: string;
}

/** The `exec` block: a fresh token from `aws eks get-token` at every Terraform run. */
export function eksExec(connection: EksConnection) {
  return {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args: [
      'eks',
      'get-token',
      '--cluster-name',
      connection.clusterName,
      '--region',
      connection.region,
      '--output',
      'json',
    ],
  };
}

/**
 * Configures the kubernetes provider of a stack for an EKS cluster.
 *
 * Authentication is `exec` (`aws eks get-token`), never an `aws_eks_cluster_auth` token: that token is read once
 * at plan time and expires after 15 minutes, which breaks long applies (the most reported failure of the guide).
 */
export function addEksKubernetesProvider(scope: Construct, connection: EksConnection): KubernetesProvider {
  return new KubernetesProvider(scope, 'kubernetes', {
    host: connection.endpoint,
    clusterCaCertificate: Fn.base64decode(connection.certificateAuthorityData),
    exec: [eksExec(connection)],
  });
}

/** Configures the kubernetes and helm providers of a stack for an EKS cluster, both with `exec` authentication. */
export function addEksKubernetesProviders(
  scope: Construct,
  connection: EksConnection,
): { kubernetes: KubernetesProvider; helm: HelmProvider } {
  const kubernetes = addEksKubernetesProvider(scope, connection);
  const helm = new HelmProvider(scope, 'helm', {
    kubernetes: {
      host: connection.endpoint,
      clusterCaCertificate: Fn.base64decode(connection.certificateAuthorityData),
      exec: eksExec(connection),
    },
  });
  return { kubernetes, helm };
}

/** A kubeconfig file and context (K3s or any local cluster). */
export interface KubeconfigConnection {
  readonly configPath: string;
  readonly context: string;
}

/** Configures the kubernetes provider from a kubeconfig file and context (the local world). */
export function addKubeconfigProvider(
  scope: Construct,
  connection: KubeconfigConnection,
): KubernetesProvider {
  return new KubernetesProvider(scope, 'kubernetes', {
    configPath: connection.configPath,
    configContext: connection.context,
  });
}
