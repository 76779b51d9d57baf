/**
 * The hardened security settings of every pod this project defines, in one place: a non-root user, a read-only
 * root filesystem, no privilege escalation, every Linux capability dropped, the runtime's default seccomp profile,
 * and volumes owned by the pod's group. Together they meet the Pod Security Standards' `restricted` profile.
 */
import type {
  DeploymentV1SpecTemplateSpecContainerSecurityContext,
  DeploymentV1SpecTemplateSpecSecurityContext,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { checkInteger } from './validation';

/** Who the pod's processes run as. */
export interface PodSecurityProps {
  /** The uid the container runs as; never 0 (root). It also owns the pod's volumes unless `runAsGroup` is set. */
  readonly runAsUser: number;
  /**
   * The gid the pod runs as, for images whose uid:gid you own. The identity is then pinned on the pod (every
   * container, init containers and injected sidecars included), volumes belong to this group, and the container
   * restates `privileged: false` and the seccomp profile in its own context.
   * @default - the image's primary group; each setting stated once, where Kubernetes applies it
   */
  readonly runAsGroup?: number;
}

/** The seccomp profile of the container runtime (containerd's default filter). */
export const RUNTIME_DEFAULT_SECCOMP = { type: 'RuntimeDefault' } as const;

/** The pod-level security context. */
export function hardenedPodSecurityContext(
  props: PodSecurityProps,
): DeploymentV1SpecTemplateSpecSecurityContext {
  const group = props.runAsGroup;
  return {
    ...(group !== undefined && {
      runAsNonRoot: true,
      runAsUser: String(props.runAsUser),
      runAsGroup: String(group),
    }),
    // Mounted volumes (emptyDir, PersistentVolumeClaim) become writable for this group.
    fsGroup: String(group ?? props.runAsUser),
    seccompProfile: { ...RUNTIME_DEFAULT_SECCOMP },
  };
}

/** The container-level security context. */
export function hardenedContainerSecurityContext(
  props: PodSecurityProps,
): DeploymentV1SpecTemplateSpecContainerSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: String(props.runAsUser),
    // The process writes only to mounted volumes (give it an emptyDir for /tmp).
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    ...(props.runAsGroup !== undefined && {
      privileged: false,
      seccompProfile: { ...RUNTIME_DEFAULT_SECCOMP },
    }),
  };
}

/** Throws when the uid or gid is root's or not an id. */
export function checkPodSecurity(owner: string, props: PodSecurityProps): void {
  checkInteger(owner, 'runAsUser', props.runAsUser, 1);
  if (props.runAsGroup !== undefined) checkInteger(owner, 'runAsGroup', props.runAsGroup, 1);
}
