import { describe, expect, test } from 'vitest';
import {
  checkPodSecurity,
  hardenedContainerSecurityContext,
  hardenedPodSecurityContext,
  type PodSecurityProps,
} from '../../../modules/kubernetes/pod-security';

describe('pod security', () => {
  test('minimal props: non-root user, read-only root, no escalation, no capabilities, RuntimeDefault seccomp on the pod', () => {
    expect(hardenedPodSecurityContext({ runAsUser: 1000 })).toEqual({
      fsGroup: '1000',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(hardenedContainerSecurityContext({ runAsUser: 1000 })).toEqual({
      runAsNonRoot: true,
      runAsUser: '1000',
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('runAsGroup pins uid and gid on the pod, owns the volumes, and the container restates privileged and seccomp', () => {
    expect(hardenedPodSecurityContext({ runAsUser: 1000, runAsGroup: 2000 })).toEqual({
      runAsNonRoot: true,
      runAsUser: '1000',
      runAsGroup: '2000',
      fsGroup: '2000',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(hardenedContainerSecurityContext({ runAsUser: 1000, runAsGroup: 2000 })).toEqual({
      runAsNonRoot: true,
      runAsUser: '1000',
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('each call returns fresh objects (a caller editing one pod cannot weaken another)', () => {
    const first = hardenedContainerSecurityContext({ runAsUser: 1000, runAsGroup: 1000 });
    const second = hardenedContainerSecurityContext({ runAsUser: 1000, runAsGroup: 1000 });
    expect(first.seccompProfile).not.toBe(second.seccompProfile);
    expect(first.capabilities).not.toBe(second.capabilities);
  });

  test.each([
    ['runAsUser is root', { runAsUser: 0 }, 'Pod runAsUser: 0 must be an integer >= 1'],
    ['runAsUser is not an integer', { runAsUser: 1.5 }, 'Pod runAsUser: 1.5 must be an integer >= 1'],
    ['runAsGroup is root', { runAsUser: 1000, runAsGroup: 0 }, 'Pod runAsGroup: 0 must be an integer >= 1'],
  ])('throws when %s', (_name, props: PodSecurityProps, message) => {
    expect(() => checkPodSecurity('Pod', props)).toThrow(message);
  });

  test('accepts a non-root uid and gid', () => {
    expect(() => checkPodSecurity('Pod', { runAsUser: 1000, runAsGroup: 1000 })).not.toThrow();
  });
});
