/**
 * How pods get an IAM role: EKS Pod Identity associations (`aws_eks_pod_identity_association`, an add-on's
 * `pod_identity_association`) and IRSA ServiceAccount annotations (on a ServiceAccount of any type, a
 * `kubernetes_annotations` patch, a Helm release's values) — and what each role's trust policy accepts.
 */
import { IRSA_ROLE_ANNOTATION, POD_IDENTITY_PRINCIPAL } from '../workload-identity';
import { documentStatements, type Statement } from './iam-documents';
import { globMatch } from './iam-actions';
import { kubernetesModel } from './kubernetes-model';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { blocks } from './values';
import type { PodModel } from './workloads';

export interface Binding {
  readonly kind: 'pod-identity' | 'irsa';
  /** The association, or the element that sets the IRSA annotation. */
  readonly element: ElementView;
  readonly namespace?: string;
  readonly serviceAccount?: string;
  /** The role value as written (a reference or an ARN). */
  readonly roleValue: unknown;
  /** The role, when the app defines it. */
  readonly role?: ElementView;
  /** The association's `cluster_name`. */
  readonly cluster?: unknown;
}

/** The IAM role a value (an association's `role_arn`, an IRSA annotation) designates, when the app defines it. */
export function roleOf(app: SynthesizedApp, value: unknown, near: ElementView): ElementView | undefined {
  const followed = app.follow(value, near);
  if (followed?.element.type === 'aws_iam_role' && followed.element.kind === 'resource')
    return followed.element;
  const arn = app.literal(value, near);
  const name = arn === undefined ? undefined : /:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  return name === undefined
    ? undefined
    : app.resources('aws_iam_role').find((r) => app.literal(r.config.name, r) === name);
}

const memo = new WeakMap<SynthesizedApp, Binding[]>();

/** Every binding of a role to a namespace/service account in the app. */
export function bindings(app: SynthesizedApp): Binding[] {
  const cached = memo.get(app);
  if (cached !== undefined) return cached;
  const associations = app.resources('aws_eks_pod_identity_association').map((a) => ({
    kind: 'pod-identity' as const,
    element: a,
    namespace: app.literal(a.config.namespace, a),
    serviceAccount: app.literal(a.config.service_account, a),
    roleValue: a.config.role_arn,
    role: roleOf(app, a.config.role_arn, a),
    cluster: a.config.cluster_name,
  }));
  const addons = app.resources('aws_eks_addon').flatMap((addon) =>
    blocks(addon.config.pod_identity_association).map((a) => ({
      kind: 'pod-identity' as const,
      element: addon,
      serviceAccount: app.literal(a.service_account, addon),
      roleValue: a.role_arn,
      role: roleOf(app, a.role_arn, addon),
      cluster: addon.config.cluster_name,
    })),
  );
  const irsa = kubernetesModel(app)
    .objects.filter((o) => o.kind === 'ServiceAccount' && o.annotations.has(IRSA_ROLE_ANNOTATION))
    .map((account) => {
      const annotation = account.annotations.get(IRSA_ROLE_ANNOTATION)!;
      return {
        kind: 'irsa' as const,
        element: annotation.source,
        namespace: account.namespace,
        serviceAccount: account.name,
        roleValue: annotation.value,
        role: roleOf(app, annotation.value, annotation.source),
      };
    });
  const all = [...associations, ...addons, ...irsa];
  memo.set(app, all);
  return all;
}

/** The bindings that serve a pod's namespace and service account. */
export function bindingsOf(app: SynthesizedApp, pod: PodModel): Binding[] {
  return bindings(app).filter(
    (b) => b.namespace === pod.namespace && b.serviceAccount === pod.serviceAccountName,
  );
}

export function describeBinding(binding: Binding): string {
  const what = binding.kind === 'pod-identity' ? 'Pod Identity association' : 'IRSA annotation';
  return `${what} ${binding.element.path} (${binding.namespace ?? '?'}/${binding.serviceAccount ?? '?'})`;
}

/** The role's trust policy statements; undefined when synth cannot read it. */
export function trustStatements(app: SynthesizedApp, role: ElementView): Statement[] | undefined {
  return documentStatements(app, role.config.assume_role_policy, role, `trust policy of ${role.path}`);
}

const allows = (s: Statement, action: string) =>
  s.effect === 'Allow' && (s.actions ?? []).some((a) => globMatch(a, action, true));

/** What the Pod Identity trust lacks (`sts:AssumeRole`, `sts:TagSession` for pods.eks.amazonaws.com). */
export function podIdentityTrustGaps(statements: readonly Statement[]): string[] {
  const forPods = statements.filter((s) => (s.principals.Service ?? []).includes(POD_IDENTITY_PRINCIPAL));
  if (forPods.length === 0) return [`a statement for the service principal ${POD_IDENTITY_PRINCIPAL}`];
  return ['sts:AssumeRole', 'sts:TagSession'].filter((a) => !forPods.some((s) => allows(s, a)));
}

export interface IrsaTrust {
  /** The OIDC provider ARN (or reference) the statement federates. */
  readonly provider: string;
  /** `system:serviceaccount:<ns>:<sa>` values accepted, and whether they are StringLike patterns. */
  readonly subjects: readonly { readonly value: string; readonly like: boolean }[];
  readonly statement: Statement;
}

/** The IRSA (web identity) statements of a trust policy. */
export function irsaTrusts(statements: readonly Statement[]): IrsaTrust[] {
  return statements
    .filter((s) => allows(s, 'sts:AssumeRoleWithWebIdentity'))
    .flatMap((statement) =>
      (statement.principals.Federated ?? []).map((provider) => ({
        provider,
        statement,
        subjects: statement.conditions
          .filter((c) => c.key.endsWith(':sub'))
          .flatMap((c) => c.values.map((value) => ({ value, like: c.operator.startsWith('StringLike') }))),
      })),
    );
}

export function subjectAccepted(trust: IrsaTrust, namespace: string, serviceAccount: string): boolean {
  const subject = `system:serviceaccount:${namespace}:${serviceAccount}`;
  return trust.subjects.some((s) => (s.like ? globMatch(s.value, subject) : s.value === subject));
}

/** Namespace/service accounts a role is given to: its associations, and the subjects its IRSA trust accepts. */
export function roleHolders(app: SynthesizedApp, role: ElementView): string[] {
  const associated = bindings(app)
    .filter((b) => b.kind === 'pod-identity' && b.role === role)
    .map((b) => `${b.namespace ?? '?'}/${b.serviceAccount ?? '?'}`);
  const trusted = irsaTrusts(trustStatements(app, role) ?? []).flatMap((t) =>
    t.subjects.map((s) => s.value.replace(/^system:serviceaccount:/, '').replace(':', '/')),
  );
  return [...new Set([...associated, ...trusted])];
}
