/**
 * Container hardening and resources for every container and init container of every pod the app defines, in any
 * resource type (container settings override the pod's, as in Kubernetes). A Helm release's pods are judged only
 * on what its values set: the chart's defaults are out of synth's view.
 */
import { kubernetesModel } from '../kubernetes-model';
import { parseQuantity } from '../quantities';
import type { SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, RuleCategory, Violation } from '../types';
import { shown } from '../values';
import type { ContainerModel, PodModel } from '../workloads';

function containerRule(rule: {
  id: string;
  title: string;
  prevents: string;
  category: RuleCategory;
  checkov: string[];
  fix: string;
  /** Also judged on partial (Helm) pods: only for problems that are an explicit setting. */
  explicit?: boolean;
  problem: (container: ContainerModel, pod: PodModel) => string | undefined;
}): GuardrailRule {
  const { problem, explicit, ...rest } = rule;
  // rest keeps `fix`: the rule's general fix is each violation's fix.
  return {
    ...rest,
    check: (app: SynthesizedApp) =>
      kubernetesModel(app)
        .pods.filter((pod) => explicit === true || !pod.partial)
        .flatMap((pod) =>
          pod.containers.flatMap((container): Violation[] => {
            const message = problem(container, pod);
            if (message === undefined) return [];
            const which = pod.partial
              ? `the values of Helm release "${pod.name ?? '?'}"`
              : `${container.init ? 'init container' : 'container'} "${container.name}" of ${pod.kind} ${pod.name ?? '?'}`;
            return [{ element: pod.source, message: `${which} ${message}`, fix: rule.fix }];
          }),
        ),
  };
}

/** The provider's snake_case or the API's camelCase name of a security setting, as the pod spells it. */
const named = (pod: PodModel, camel: string) =>
  pod.style === 'provider' ? camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : camel;

export const rootContainer = containerRule({
  id: 'CART141',
  title: 'Containers do not run as root',
  prevents: 'A container escape or a writable host mount is root on the node.',
  category: 'baseline',
  checkov: ['CKV_K8S_6'],
  explicit: true,
  fix: 'set security_context { run_as_non_root = true, run_as_user = "<uid > 0>" } on the container or the pod.',
  problem: ({ securityContext: sc }, pod) => {
    if (sc.runAsUser === 0) return `runs as uid 0 (${named(pod, 'runAsUser')} = 0).`;
    if (!pod.partial && sc.runAsNonRoot !== true && sc.runAsUser === undefined)
      return `may run as root (no ${named(pod, 'runAsNonRoot')}, no ${named(pod, 'runAsUser')}).`;
    return undefined;
  },
});

export const writableRootFilesystem = containerRule({
  id: 'CART142',
  title: 'Containers have a read-only root filesystem',
  prevents: "An attacker (or a bug) can modify the container's binaries and configuration at run time.",
  category: 'baseline',
  checkov: ['CKV_K8S_22'],
  fix: 'set security_context { read_only_root_filesystem = true } and mount an emptyDir where the process writes (/tmp).',
  problem: ({ securityContext: sc }, pod) =>
    sc.readOnlyRootFilesystem === true
      ? undefined
      : `has a writable root filesystem (${named(pod, 'readOnlyRootFilesystem')} is not true).`,
});

/** Capabilities that amount to a privileged container. */
const PRIVILEGED_CAPABILITIES = [
  'ALL',
  'SYS_ADMIN',
  'CAP_SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'NET_ADMIN',
];

export const privilegedContainer = containerRule({
  id: 'CART143',
  title: 'Containers are not privileged (nor given SYS_ADMIN-class capabilities)',
  prevents: "A privileged container has every capability and the host's devices: it owns the node.",
  category: 'always',
  checkov: ['CKV_K8S_16', 'CKV_K8S_39'],
  explicit: true,
  fix: 'remove security_context.privileged (or set it to false) and drop the added capabilities (capabilities { drop = ["ALL"] }).',
  problem: ({ securityContext: sc }, pod) => {
    if (sc.privileged === true) return `is privileged (${named(pod, 'privileged')} = true).`;
    const added = sc.capabilitiesAdd.filter((c) => PRIVILEGED_CAPABILITIES.includes(c.toUpperCase()));
    return added.length === 0
      ? undefined
      : `adds the capabilities ${added.join(', ')}, which amount to a privileged container.`;
  },
});

export const privilegeEscalation = containerRule({
  id: 'CART144',
  title: 'Containers do not allow privilege escalation',
  prevents: 'setuid binaries in the image can gain more privileges than the process started with.',
  category: 'baseline',
  checkov: ['CKV_K8S_20'],
  explicit: true,
  fix: 'set security_context { allow_privilege_escalation = false } (Kubernetes defaults to true).',
  problem: ({ securityContext: sc }, pod) => {
    if (sc.allowPrivilegeEscalation === false) return undefined;
    if (pod.partial && sc.allowPrivilegeEscalation !== true) return undefined;
    return `allows privilege escalation (${named(pod, 'allowPrivilegeEscalation')} is ${sc.allowPrivilegeEscalation === true ? 'true' : 'not false'}).`;
  },
});

export const resourceLimits = containerRule({
  id: 'CART145',
  title: 'Containers have CPU and memory limits',
  prevents: 'One runaway pod starves its neighbours on the node, or the node itself.',
  category: 'baseline',
  checkov: ['CKV_K8S_11', 'CKV_K8S_13'],
  fix: 'set resources { limits = { cpu = "…", memory = "…" } } (config.cart.resources).',
  problem: (container) => {
    const missing = ['cpu', 'memory'].filter(
      (k) => container.resources.limits[k] === undefined || container.resources.limits[k] === '',
    );
    return missing.length === 0 ? undefined : `has no ${missing.join(' or ')} limit.`;
  },
});

export const limitBelowRequest = containerRule({
  id: 'CART146',
  title: 'Container limits are not below their requests',
  prevents:
    'The Kubernetes API refuses the workload: `spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit` — `terraform apply` fails and the pods are never created.',
  category: 'always',
  checkov: [],
  fix: 'set each limit at or above its request (config.cart.resources).',
  problem: ({ resources }) => {
    const below = ['cpu', 'memory'].flatMap((k) => {
      const limit = parseQuantity(resources.limits[k]);
      const request = parseQuantity(resources.requests[k]);
      return limit !== undefined && request !== undefined && limit < request
        ? [`${k} limit ${shown(resources.limits[k])} is below its request ${shown(resources.requests[k])}`]
        : [];
    });
    return below.length === 0 ? undefined : `has a ${below.join(' and a ')}.`;
  },
});
