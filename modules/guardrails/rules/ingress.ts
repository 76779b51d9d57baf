/**
 * What an ALB Ingress exposes: an internet-facing one must serve HTTPS (and redirect HTTP) in production, and no
 * Ingress may route the paths meant for the cluster only (health, metrics, topology).
 */
import { exposedPrivatePath } from '../../kubernetes/alb-ingress';
import { kblock } from '../kubernetes-fields';
import { kubernetesModel } from '../kubernetes-model';
import type { KubeObject } from '../kubernetes-objects';
import type { SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { block, blocks, field } from '../values';

const ALB = 'alb.ingress.kubernetes.io';

function ingresses(app: SynthesizedApp): KubeObject[] {
  return kubernetesModel(app).objects.filter((o) => o.kind === 'Ingress');
}

function annotation(app: SynthesizedApp, object: KubeObject, key: string): string | undefined {
  const setting = object.annotations.get(key);
  return setting === undefined ? undefined : (app.literal(setting.value, setting.source) ?? '<unknown>');
}

/** The listener protocols of `listen-ports` (the controller's default is HTTP:80 alone). */
function listenProtocols(value: string | undefined): string[] {
  if (value === undefined || value === '<unknown>') return value === undefined ? ['HTTP'] : ['HTTPS'];
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed.flatMap((p) => Object.keys(p as object)) : ['HTTP'];
  } catch {
    return ['HTTP'];
  }
}

/** Why an internet-facing Ingress serves plain HTTP, or undefined when it does not. */
function plainHttpProblem(app: SynthesizedApp, object: KubeObject): string | undefined {
  const protocols = listenProtocols(annotation(app, object, `${ALB}/listen-ports`));
  if (!protocols.includes('HTTPS')) return 'listens on HTTP only (no HTTPS listener in listen-ports)';
  const hasCertificate =
    annotation(app, object, `${ALB}/certificate-arn`) !== undefined ||
    blocks(field(kblock(object.config, 'spec'), 'tls')).length > 0;
  if (!hasCertificate) return 'has an HTTPS listener but no certificate-arn annotation or spec.tls';
  if (protocols.includes('HTTP') && annotation(app, object, `${ALB}/ssl-redirect`) === undefined) {
    return 'serves HTTP next to HTTPS without ssl-redirect';
  }
  return undefined;
}

export const internetIngressTls: GuardrailRule = {
  id: 'CART164',
  title: 'An internet-facing ALB Ingress serves HTTPS only',
  prevents:
    'Cart contents and customer ids cross the internet in clear text, readable and alterable by anyone on the path.',
  fix: 'set alb.ingress.kubernetes.io/certificate-arn, listen-ports [{"HTTP":80},{"HTTPS":443}] and ssl-redirect 443 (cart.certificateArn, or cart.hostname + cart.hostedZoneId), or make the Ingress internal.',
  category: 'production',
  checkov: [],
  check: (app) =>
    ingresses(app).flatMap((object): Violation[] => {
      if (annotation(app, object, `${ALB}/scheme`) !== 'internet-facing') return [];
      const problem = plainHttpProblem(app, object);
      if (problem === undefined) return [];
      return [
        {
          element: object.source,
          message: `Ingress ${object.name ?? '?'} is internet-facing and ${problem}.`,
          fix: internetIngressTls.fix,
        },
      ];
    }),
};

/** Every path an Ingress routes; a default backend routes `/`, every path. */
function routedPaths(app: SynthesizedApp, object: KubeObject): string[] {
  const spec = kblock(object.config, 'spec');
  const fallback = field(spec, 'defaultBackend', 'default_backend') === undefined ? [] : ['/'];
  const rules = blocks(field(spec, 'rules', 'rule'));
  const paths = rules.flatMap((rule) =>
    blocks(field(block(field(rule, 'http')), 'paths', 'path')).map(
      (p) => app.literal(p.path, object.source) ?? (p.path === undefined ? '/' : '<unknown>'),
    ),
  );
  return [...fallback, ...paths];
}

export const ingressPrivatePaths: GuardrailRule = {
  id: 'CART165',
  title: 'No Ingress routes health, metrics or topology paths',
  prevents:
    'Anyone who reaches the load balancer reads /actuator/prometheus (request rates, internals) and /topology, and can probe health endpoints that were meant for the kubelet.',
  fix: 'route only the API prefixes (the cart: /carts); probes and scrapes reach the pods inside the cluster.',
  category: 'always',
  checkov: [],
  check: (app) =>
    ingresses(app).flatMap((object): Violation[] =>
      routedPaths(app, object).flatMap((path) => {
        const exposed = exposedPrivatePath(path);
        if (exposed === undefined) return [];
        return [
          {
            element: object.source,
            message: `Ingress ${object.name ?? '?'} routes ${JSON.stringify(path)}, which includes ${exposed}.`,
            fix: ingressPrivatePaths.fix,
          },
        ];
      }),
    ),
};
