/**
 * How the cart's pieces find each other in the synthesized app: its tables, the region they live in, and the
 * AWS identity (Pod Identity association or IRSA service account → IAM role) its pods run with.
 */
import { CUSTOMER_INDEX_NAME } from '@cart-platform/service/contract';
import { IRSA_ROLE_ANNOTATION } from '../workload-identity';
import { roleOf } from './iam';
import { namespaceOf, nameOf, type PodView } from './kubernetes';
import { block, blocks, isObject, type ElementView, type SynthesizedApp } from './synthesized-app';

/** Tables with the cart's data model (the `idx_global_customerId` index): the ones the cart may point at. */
export function cartTables(app: SynthesizedApp): ElementView[] {
  return app
    .resources('aws_dynamodb_table')
    .filter((table) =>
      blocks(table.config.global_secondary_index).some((i) => i.name === CUSTOMER_INDEX_NAME),
    );
}

/** Literal name of a table. */
export function tableName(app: SynthesizedApp, table: ElementView): string | undefined {
  return app.literal(table.config.name, table);
}

/** The region a resource is created in: its AWS provider's (the aliased one when `provider` names it). */
export function regionOf(app: SynthesizedApp, resource: ElementView): string | undefined {
  const own = app.literal(resource.config.region, resource);
  if (own !== undefined) return own;
  const alias =
    typeof resource.config.provider === 'string' ? resource.config.provider.split('.')[1] : undefined;
  const provider = app
    .providers('aws')
    .find(
      (p) =>
        p.stack === resource.stack &&
        (alias === undefined ? p.config.alias === undefined : p.config.alias === alias),
    );
  return provider === undefined ? undefined : app.literal(provider.config.region, provider);
}

/** Literal namespace and service account of a pod; `default` when the spec names none. */
export function podIdentity(
  app: SynthesizedApp,
  pod: PodView,
): { namespace?: string; serviceAccount?: string } {
  const name = pod.spec.service_account_name;
  return {
    namespace: pod.namespace,
    serviceAccount: name === undefined ? 'default' : app.literal(name, pod.workload),
  };
}

/** A way pods of one namespace/service account get an IAM role. */
export interface Binding {
  readonly kind: 'pod-identity' | 'irsa';
  /** The association, or the annotated ServiceAccount. */
  readonly element: ElementView;
  readonly namespace?: string;
  readonly serviceAccount?: string;
  /** The role, when the app defines it. */
  readonly role?: ElementView;
}

/** Every Pod Identity association and IRSA-annotated ServiceAccount in the app. */
export function bindings(app: SynthesizedApp): Binding[] {
  const associations = app.resources('aws_eks_pod_identity_association').map((a) => ({
    kind: 'pod-identity' as const,
    element: a,
    namespace: app.literal(a.config.namespace, a),
    serviceAccount: app.literal(a.config.service_account, a),
    role: roleOf(app, a.config.role_arn, a),
  }));
  const irsa = app.resources('kubernetes_service_account_v1').flatMap((account) => {
    const annotations = block(account.config.metadata)?.annotations;
    const arn = isObject(annotations) ? annotations[IRSA_ROLE_ANNOTATION] : undefined;
    if (arn === undefined) return [];
    return [
      {
        kind: 'irsa' as const,
        element: account,
        namespace: namespaceOf(app, account),
        serviceAccount: nameOf(app, account),
        role: roleOf(app, arn, account),
      },
    ];
  });
  return [...associations, ...irsa];
}

/** The bindings that serve a pod's namespace and service account. */
export function bindingsOf(app: SynthesizedApp, pod: PodView, all = bindings(app)): Binding[] {
  const { namespace, serviceAccount } = podIdentity(app, pod);
  return all.filter((b) => b.namespace === namespace && b.serviceAccount === serviceAccount);
}

export function describeBinding(binding: Binding): string {
  const what = binding.kind === 'pod-identity' ? 'Pod Identity association' : 'IRSA ServiceAccount';
  return `${what} ${binding.element.path} (${binding.namespace ?? '?'}/${binding.serviceAccount ?? '?'})`;
}
