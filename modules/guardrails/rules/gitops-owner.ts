/**
 * One owner per Kubernetes object: an Argo CD Application with automated sync owns what it deploys into its
 * destination namespace (prune deletes what Git lacks, self-heal reverts changes). Terraform objects in that
 * namespace other than the namespace itself and its ServiceAccounts (the identity wiring Terraform keeps) are
 * fought over: every sync and every apply undo each other.
 */
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { block, isObject } from '../values';

/** Namespaced object types the kubernetes provider manages (v1 and legacy names), manifests included. */
const NAMESPACED_TYPES = [
  'kubernetes_manifest',
  ...[
    'config_map',
    'secret',
    'deployment',
    'service',
    'ingress',
    'stateful_set',
    'daemon_set',
    'job',
    'cron_job',
    'pod_disruption_budget',
    'role',
    'role_binding',
    'persistent_volume_claim',
  ].flatMap((kind) => [`kubernetes_${kind}_v1`, `kubernetes_${kind}`]),
  'kubernetes_horizontal_pod_autoscaler_v2',
  'kubernetes_horizontal_pod_autoscaler_v1',
];

function applicationNamespaces(app: SynthesizedApp): { element: ElementView; namespace: string }[] {
  return app.resources('kubernetes_manifest').flatMap((element) => {
    const manifest = element.config.manifest;
    if (!isObject(manifest) || manifest.kind !== 'Application') return [];
    if (typeof manifest.apiVersion !== 'string' || !manifest.apiVersion.startsWith('argoproj.io/')) return [];
    const spec = isObject(manifest.spec) ? manifest.spec : {};
    const namespace = isObject(spec.destination)
      ? app.literal(spec.destination.namespace, element)
      : undefined;
    return namespace === undefined ? [] : [{ element, namespace }];
  });
}

/** The namespace a Terraform Kubernetes object is created in (typed resources and kubernetes_manifest). */
function namespaceOf(app: SynthesizedApp, element: ElementView): string | undefined {
  const metadata =
    element.type === 'kubernetes_manifest'
      ? isObject(element.config.manifest)
        ? element.config.manifest.metadata
        : undefined
      : block(element.config.metadata);
  return isObject(metadata) ? app.literal(metadata.namespace, element) : undefined;
}

const FIX =
  'in GitOps mode leave the namespace and ServiceAccount to Terraform and everything else to the manifests (gitops.enabled, npm run manifests).';

export const gitopsSingleOwner: GuardrailRule = {
  id: 'CART012',
  title: 'One owner per Kubernetes object: Terraform or Argo CD',
  prevents:
    'Terraform and Argo CD (automated sync, prune, self-heal) managing the same objects: each apply and each sync undo the other, or prune deletes what Terraform created',
  fix: FIX,
  category: 'always',
  checkov: [],
  check(app: SynthesizedApp): Violation[] {
    const owned = applicationNamespaces(app);
    if (owned.length === 0) return [];
    return app.resources(...NAMESPACED_TYPES).flatMap((element) => {
      const namespace = namespaceOf(app, element);
      const application = owned.find((o) => o.namespace === namespace && o.element !== element);
      if (application === undefined || namespace === undefined) return [];
      return [
        {
          element,
          message: `is managed by Terraform in namespace "${namespace}", which Argo CD Application ${application.element.path} syncs with prune and self-heal.`,
          fix: FIX,
        },
      ];
    });
  },
};
