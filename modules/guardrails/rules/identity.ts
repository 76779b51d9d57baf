/**
 * The identity the cart's pods get, end to end: a Pod Identity association (or IRSA annotation) for the namespace and
 * service account they run as, on this cluster in this region, naming a role of the app that is the cart's own and
 * whose trust policy fits the mode; and the cart's role given to nobody else.
 */
import { awsProviderOf, regionOf } from '../aws-context';
import { cartContainers } from '../cart';
import {
  bindings,
  bindingsOf,
  describeBinding,
  irsaTrusts,
  podIdentityTrustGaps,
  roleHolders,
  subjectAccepted,
  trustStatements,
  type Binding,
} from '../identity';
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { shown } from '../values';
import type { PodModel } from '../workloads';
import { unique } from './violations';

const NO_CREDENTIALS =
  'the pods get no AWS credentials — `CredentialsProviderError: Could not load credentials from any providers` — or, where IMDS is reachable, silently act as the node role.';

function clusterViolations(app: SynthesizedApp, binding: Binding): Violation[] {
  const clusters = app.resources('aws_eks_cluster');
  if (binding.kind !== 'pod-identity' || clusters.length === 0 || binding.cluster === undefined) return [];
  const followed = app.follow(binding.cluster, binding.element)?.element;
  const name = app.literal(binding.cluster, binding.element);
  const cluster =
    followed?.type === 'aws_eks_cluster'
      ? followed
      : clusters.find((c) => app.literal(c.config.name, c) === name);
  // A cluster name only known at apply (a variable without default) cannot be compared.
  if (cluster === undefined && name === undefined) return [];
  if (cluster === undefined) {
    const ours = clusters.map((c) => `"${app.literal(c.config.name, c) ?? '?'}" (${c.path})`).join(', ');
    return [
      {
        element: binding.element,
        message: `associates cluster ${shown(name)}, but the app's cluster is ${ours}.`,
        effect: `${NO_CREDENTIALS} (the association exists in another cluster, or \`ResourceNotFoundException\` at apply).`,
        fix: 'set cluster_name from the cluster resource (cluster.name), not a hand-written name.',
      },
    ];
  }
  const own = regionOf(app, binding.element);
  const theirs = regionOf(app, cluster);
  if (own === undefined || theirs === undefined || own === theirs) return [];
  return [
    {
      element: binding.element,
      message: `is created in ${own} (provider ${awsProviderOf(app, binding.element)?.address ?? '?'}), but the cluster ${cluster.path} is in ${theirs}.`,
      effect: `${NO_CREDENTIALS} (\`ResourceNotFoundException: No cluster found\` at apply, or an association on a same-named cluster elsewhere).`,
      fix: "create the association with the cluster's AWS provider (its region).",
    },
  ];
}

function podIdentityTrust(app: SynthesizedApp, binding: Binding): Violation[] {
  if (binding.kind !== 'pod-identity' || binding.role === undefined) return [];
  const gaps = podIdentityTrustGaps(trustStatements(app, binding.role) ?? []);
  if (trustStatements(app, binding.role) === undefined || gaps.length === 0) return [];
  return [
    {
      element: binding.role,
      message: `is given to pods by ${describeBinding(binding)}, but its trust policy lacks ${gaps.join(' and ')} (EKS Pod Identity assumes the role as the service principal pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession).`,
      effect: `the Pod Identity agent cannot assume the role: \`AccessDeniedException\` from eks-auth:AssumeRoleForPodIdentity, and ${NO_CREDENTIALS}`,
      fix: 'trust { Service: "pods.eks.amazonaws.com" } with actions ["sts:AssumeRole", "sts:TagSession"] (WorkloadIdentity mode "pod-identity").',
    },
  ];
}

/** The OIDC providers the app defines, with their URL host/path when literal. */
function oidcIssuers(app: SynthesizedApp): { element: ElementView; issuer?: string }[] {
  return app.resources('aws_iam_openid_connect_provider').map((element) => ({
    element,
    issuer: app.literal(element.config.url, element)?.replace(/^https:\/\//, ''),
  }));
}

function irsaProviderProblem(
  app: SynthesizedApp,
  role: ElementView,
  provider: string,
  clusterRegion?: string,
): string | undefined {
  const followed = app.follow(provider, role)?.element;
  if (followed?.type === 'aws_iam_openid_connect_provider') return undefined;
  const literal = app.literal(provider, role);
  const issuer = literal === undefined ? undefined : /:oidc-provider\/(.+)$/.exec(literal)?.[1];
  if (issuer === undefined) return undefined;
  const region = /^oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com/.exec(issuer)?.[1];
  if (region !== undefined && clusterRegion !== undefined && region !== clusterRegion) {
    return `federates ${issuer}, an OIDC issuer in ${region}, but the cluster is in ${clusterRegion}`;
  }
  const known = oidcIssuers(app).filter((o) => o.issuer !== undefined);
  if (known.length > 0 && !known.some((o) => o.issuer === issuer)) {
    return `federates ${issuer}, which is not the OIDC provider of this cluster (${known.map((o) => o.element.path).join(', ')})`;
  }
  return undefined;
}

function irsaViolations(app: SynthesizedApp, binding: Binding, pod: PodModel): Violation[] {
  if (binding.kind !== 'irsa') return [];
  const account = `${pod.namespace}/${pod.serviceAccountName}`;
  const arn = app.literal(binding.roleValue, binding.element);
  if (binding.role === undefined) {
    return [
      {
        element: binding.element,
        message: `annotates service account ${account} with role ${arn ?? 'from a value synth cannot read'}, which is outside the app: synth cannot see its trust policy or its permissions.`,
        effect: `if the role does not trust this cluster's OIDC provider for ${account}, \`Not authorized to perform sts:AssumeRoleWithWebIdentity\`; if it does, the cart runs with permissions nobody reviewed here.`,
        fix: 'annotate the role the cart stack creates (WorkloadIdentity mode "irsa"), or suppress CART005 with the reason that role is managed elsewhere.',
      },
    ];
  }
  const role = binding.role;
  const holders = roleHolders(app, role).filter((h) => h !== account);
  if (holders.length > 0 && !roleHolders(app, role).includes(account)) {
    return [
      {
        element: binding.element,
        message: `annotates service account ${account} with role ${role.path}, another workload's role (given to ${holders.join(', ')}).`,
        effect: `the role does not trust ${account}: \`Not authorized to perform sts:AssumeRoleWithWebIdentity\` — and if its trust were widened, the cart would run with that workload's permissions.`,
        fix: 'annotate the cart\'s own role (cart stack, WorkloadIdentity mode "irsa").',
      },
    ];
  }
  const statements = trustStatements(app, role);
  if (statements === undefined) return [];
  const trusts = irsaTrusts(statements);
  const clusterRegion = app
    .resources('aws_eks_cluster')
    .map((c) => regionOf(app, c))
    .find((r) => r !== undefined);
  const problems = [
    ...(trusts.length === 0 ? ['has no sts:AssumeRoleWithWebIdentity statement for an OIDC provider'] : []),
    ...(trusts.some((t) => t.subjects.length === 0)
      ? ['accepts every service account of the cluster (no "<issuer>:sub" condition): any pod can assume it']
      : []),
    ...trusts.flatMap((t) => irsaProviderProblem(app, role, t.provider, clusterRegion) ?? []),
    ...(trusts.length > 0 &&
    trusts.every((t) => t.subjects.length > 0) &&
    !trusts.some((t) => subjectAccepted(t, pod.namespace ?? '?', pod.serviceAccountName ?? '?'))
      ? [
          `accepts ${trusts.flatMap((t) => t.subjects.map((s) => s.value)).join(', ')}, not system:serviceaccount:${pod.namespace}:${pod.serviceAccountName}`,
        ]
      : []),
  ];
  return problems.map((problem) => ({
    element: role,
    message: `is annotated on ${account} (${binding.element.path}), but its trust policy ${problem}.`,
    effect: `\`Not authorized to perform sts:AssumeRoleWithWebIdentity\`: ${NO_CREDENTIALS}`,
    fix: `trust this cluster's OIDC provider with "<issuer>:sub" = "system:serviceaccount:${pod.namespace}:${pod.serviceAccountName}" (WorkloadIdentity mode "irsa").`,
  }));
}

function podViolations(app: SynthesizedApp, pod: PodModel): Violation[] {
  // A service account only Terraform knows, or one a Helm chart names itself: nothing to compare.
  if (pod.namespace === undefined || pod.serviceAccountName === undefined) return [];
  const matching = bindingsOf(app, pod);
  if (matching.length === 0) {
    const all = bindings(app);
    const others = all.length === 0 ? '' : ` (the app has: ${all.map(describeBinding).join('; ')})`;
    return [
      {
        element: pod.source,
        message: `the cart runs as service account ${pod.namespace}/${pod.serviceAccountName}, but no Pod Identity association or IRSA annotation names it${others}.`,
        effect: NO_CREDENTIALS,
        fix: `associate the cart's role with namespace "${pod.namespace}" and service account "${pod.serviceAccountName}" (WorkloadIdentity), or run the pods as the associated service account.`,
      },
    ];
  }
  return matching.flatMap((b) => [
    ...clusterViolations(app, b),
    ...podIdentityTrust(app, b),
    ...irsaViolations(app, b, pod),
  ]);
}

/** An association of the cart's role naming a service account no cart pod runs as (the "cart" vs "carts" typo). */
function strayBindings(app: SynthesizedApp, pods: PodModel[]): Violation[] {
  // With a cart pod whose service account synth cannot name, no binding can be called stray.
  if (pods.some((p) => p.namespace === undefined || p.serviceAccountName === undefined)) return [];
  const accounts = new Set(pods.map((p) => `${p.namespace}/${p.serviceAccountName}`));
  // The cart's roles: bound to a cart pod and held by it (not another workload's role the cart borrows).
  const cartRoles = new Set(
    pods.flatMap((p) =>
      bindingsOf(app, p).flatMap((b) =>
        b.role !== undefined && roleHolders(app, b.role).some((h) => accounts.has(h)) ? [b.role] : [],
      ),
    ),
  );
  const tables = app.resources('aws_dynamodb_table');
  const namesTable = (role: ElementView) =>
    app
      .resources('aws_iam_role_policy')
      .some(
        (p) =>
          app.mentions(p.config.role, role, p) && tables.some((t) => app.mentions(p.config.policy, t, p)),
      );
  return bindings(app)
    .filter((b) => b.role !== undefined && !accounts.has(`${b.namespace}/${b.serviceAccount}`))
    .filter((b) => cartRoles.has(b.role!) || (b.kind === 'pod-identity' && namesTable(b.role!)))
    .map((b) => ({
      element: b.element,
      message: `gives the cart's role ${b.role!.path} to ${b.namespace ?? '?'}/${b.serviceAccount ?? '?'}, but the cart runs as ${[...accounts].join(', ')}.`,
      effect: `that service account's pods read and write the cart's table; if it is a typo of the cart's, ${NO_CREDENTIALS}`,
      fix: "use the cart workload's namespace and service account (config.cart.namespace / config.cart.serviceAccount) on both sides.",
    }));
}

export const identityBinding: GuardrailRule = {
  id: 'CART005',
  title:
    "The cart's pods get the cart's role: association or IRSA annotation, cluster, region and trust all fit",
  prevents:
    "The pods get no AWS credentials — `CredentialsProviderError: Could not load credentials from any providers` (the CLI's `Unable to locate credentials`) — or, where IMDS is reachable, silently act as the node: `assumed-role/…node-group…/i-… is not authorized to perform: dynamodb:Query`. An IRSA trust for another subject fails with `Not authorized to perform sts:AssumeRoleWithWebIdentity`.",
  fix: "bind the cart's own role to the cart's namespace and service account with WorkloadIdentity (Pod Identity or IRSA), on this cluster.",
  category: 'eks-wiring',
  checkov: [],
  check(app) {
    const pods = [
      ...new Map(cartContainers(app).map((c) => [c.pod.source.path + c.pod.source.address, c.pod])).values(),
    ];
    if (pods.length === 0) return [];
    return unique([...pods.flatMap((p) => podViolations(app, p)), ...strayBindings(app, pods)]);
  },
};
