import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ArgoApplication } from '../modules/kubernetes/argo-application';
import { ARGO_CD_DEFAULTS } from '../modules/addons/argo-cd';
import type { EnvironmentConfig } from './config/schema';
import type { CartOutputs } from './cart-stack';

/** Where `npm run manifests` writes an environment's cart manifests (and where Argo CD reads them). */
export function manifestsPath(config: EnvironmentConfig): string {
  return config.gitops.path ?? `deploy/manifests/${config.environment}`;
}

export interface CartGitopsProps {
  /** The validated environment configuration (`gitops` enabled). */
  readonly config: EnvironmentConfig;
  /** The cart stack's outputs (namespace, service account and its annotations). */
  readonly cart: CartOutputs;
}

/**
 * The cart in GitOps mode. Terraform keeps the namespace and the ServiceAccount — the identity wiring the cart's IAM
 * role is bound to (Pod Identity association or IRSA annotation), under the same addresses as CartWorkload's so
 * switching modes keeps them — and an Argo CD Application owns everything else (ConfigMap, Deployment, Service,
 * Ingress, HPA, PDB) from `deploy/manifests/<env>`. One owner per object: the manifests hold neither of these two.
 */
export class CartGitops extends Construct {
  public readonly namespace: NamespaceV1;
  public readonly serviceAccount: ServiceAccountV1;
  public readonly application: ArgoApplication;

  constructor(scope: Construct, id: string, props: CartGitopsProps) {
    super(scope, id);
    const { gitops } = props.config;
    if (!gitops.enabled || gitops.repoUrl === undefined) {
      throw new Error('CartGitops: config.gitops must be enabled with a repoUrl');
    }
    const labels = {
      'app.kubernetes.io/name': 'carts',
      'app.kubernetes.io/component': 'service',
      'app.kubernetes.io/managed-by': 'cdktf',
    };
    this.namespace = new NamespaceV1(this, 'namespace', { metadata: { name: props.cart.namespace, labels } });
    this.serviceAccount = new ServiceAccountV1(this, 'service-account', {
      metadata: {
        name: props.cart.serviceAccount,
        namespace: this.namespace.metadata.name,
        labels,
        annotations: { ...props.cart.serviceAccountAnnotations },
      },
    });
    this.application = new ArgoApplication(this, 'application', {
      name: 'carts',
      argoNamespace: ARGO_CD_DEFAULTS.namespace,
      repoUrl: gitops.repoUrl,
      targetRevision: gitops.targetRevision,
      path: manifestsPath(props.config),
      destinationNamespace: props.cart.namespace,
      dependsOn: [this.namespace, this.serviceAccount],
    });
  }
}
