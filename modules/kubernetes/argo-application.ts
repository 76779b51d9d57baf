import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import type { ITerraformDependable } from 'cdktf';
import { DNS_LABEL } from '@cart-platform/service/validators';
import { requireFormat } from '../validate';

/** The API server as seen from inside the cluster Argo CD runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

export interface ArgoApplicationProps {
  /** The Application's name. */
  readonly name: string;
  /** Where Argo CD runs (Applications live in its namespace). @default 'argocd' */
  readonly argoNamespace?: string;
  /** The Git repository Argo CD reads (HTTPS or SSH URL). */
  readonly repoUrl: string;
  /** Branch, tag or commit to track. */
  readonly targetRevision: string;
  /** The folder of plain YAML manifests in the repository. */
  readonly path: string;
  /** The namespace the manifests are applied to (it must exist: Terraform owns it). */
  readonly destinationNamespace: string;
  /** Argo CD project. @default 'default' */
  readonly project?: string;
  /** Resources to create first (the namespace, the Argo CD release with its CRD). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * An Argo CD Application that keeps one folder of plain manifests applied to one namespace: automated sync, prune
 * (objects removed from Git are deleted) and self-heal (manual drift is reverted). Its finalizer deletes the
 * deployed objects when the Application is deleted.
 */
export class ArgoApplication extends Construct {
  public readonly manifest: Manifest;
  /** The Application object as sent to the API server. */
  public readonly object: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    requireFormat('ArgoApplication', 'name', DNS_LABEL, props.name);
    requireFormat('ArgoApplication', 'destinationNamespace', DNS_LABEL, props.destinationNamespace);
    if (props.path.startsWith('/') || props.path.split('/').includes('..')) {
      throw new Error(
        `ArgoApplication path: "${props.path}" must be relative to the repository root, without ..`,
      );
    }
    if (!/^(https:\/\/|ssh:\/\/|git@)/.test(props.repoUrl)) {
      throw new Error(`ArgoApplication repoUrl: "${props.repoUrl}" must be an https://, ssh:// or git@ URL`);
    }
    this.object = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: props.name,
        namespace: props.argoNamespace ?? 'argocd',
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: props.project ?? 'default',
        source: { repoURL: props.repoUrl, targetRevision: props.targetRevision, path: props.path },
        destination: { server: IN_CLUSTER, namespace: props.destinationNamespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          // The namespace is Terraform's (with the ServiceAccount the cart's IAM role is bound to).
          syncOptions: ['CreateNamespace=false'],
        },
      },
    };
    this.manifest = new Manifest(this, 'application', {
      manifest: this.object as Record<string, unknown>,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
