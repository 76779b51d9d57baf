/**
 * Every way a pod can reach the instance metadata service and take the node's role: launch templates (IMDSv2 with
 * hop limit 1, after every override), node groups without a launch template or with one the app does not define,
 * Karpenter `EC2NodeClass` metadata options, and pods on the host network (where the hop limit does not apply).
 */
import { kblock } from '../kubernetes-fields';
import { kubernetesModel } from '../kubernetes-model';
import { manifestObjects } from '../manifests';
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { block, num, shown } from '../values';

const NODE_ROLE_EFFECT =
  'pods reach IMDS and take the node role: a workload without its own identity silently runs as the node (`assumed-role/…node-group…/i-… is not authorized to perform: dynamodb:GetItem`) instead of failing loudly, and every pod can use the node role.';

function metadataProblems(
  options: { tokens: unknown; hops: unknown; endpoint: unknown },
  names: { tokens: string; hops: string },
) {
  if (options.endpoint === 'disabled') return [];
  const problems: { text: string; checkov: string }[] = [];
  if (options.tokens !== 'required') {
    problems.push({
      text: `${names.tokens} is ${shown(options.tokens ?? null)} (IMDSv1 allowed)`,
      checkov: 'CKV_AWS_79',
    });
  }
  const hops = num(options.hops);
  if (hops === undefined || hops > 1) {
    problems.push({ text: `${names.hops} is ${hops ?? 'unset (EKS AMIs use 2)'}`, checkov: 'CKV_AWS_341' });
  }
  return problems;
}

function launchTemplates(app: SynthesizedApp): Violation[] {
  return app.resources('aws_launch_template').flatMap((template) => {
    const options = block(template.config.metadata_options);
    const problems = metadataProblems(
      {
        tokens: options?.http_tokens,
        hops: options?.http_put_response_hop_limit,
        endpoint: options?.http_endpoint,
      },
      { tokens: 'metadata_options.http_tokens', hops: 'metadata_options.http_put_response_hop_limit' },
    );
    if (problems.length === 0) return [];
    return [
      {
        element: template,
        message: `${problems.map((p) => p.text).join('; ')}: pods can reach the instance metadata service.`,
        effect: NODE_ROLE_EFFECT,
        fix: 'set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (ManagedNodeGroup does).',
        checkov: problems.map((p) => p.checkov),
      },
    ];
  });
}

/**
 * Instances the app launches itself (self-managed nodes, bastions): IMDSv2 required; a hop limit above 1 only when
 * set (EC2's default for instances is 1).
 */
function instances(app: SynthesizedApp): Violation[] {
  return app
    .resources('aws_instance', 'aws_launch_configuration', 'aws_spot_instance_request')
    .flatMap((instance) => {
      const options = block(instance.config.metadata_options);
      const problems = metadataProblems(
        {
          tokens: options?.http_tokens,
          hops: options?.http_put_response_hop_limit ?? 1,
          endpoint: options?.http_endpoint,
        },
        { tokens: 'metadata_options.http_tokens', hops: 'metadata_options.http_put_response_hop_limit' },
      );
      if (problems.length === 0) return [];
      return [
        {
          element: instance,
          message: `${problems.map((p) => p.text).join('; ')}: the instance's role is one unauthenticated request away (pods, if it is a node).`,
          effect: `IMDSv1 answers any process that can make an HTTP request (an SSRF is enough) with the instance role's credentials; on a node, ${NODE_ROLE_EFFECT}`,
          fix: 'set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 }.',
          checkov: problems.map((p) => p.checkov),
        },
      ];
    });
}

/** The launch template a node group names, when the app defines it. */
function templateOf(
  app: SynthesizedApp,
  group: ElementView,
  reference: Record<string, unknown>,
): ElementView | undefined {
  const followed = app.follow(reference.id ?? reference.name, group)?.element;
  if (followed?.type === 'aws_launch_template') return followed;
  const name = app.literal(reference.name, group);
  return name === undefined
    ? undefined
    : app.resources('aws_launch_template').find((t) => app.literal(t.config.name, t) === name);
}

function nodeGroups(app: SynthesizedApp): Violation[] {
  return app.resources('aws_eks_node_group').flatMap((group): Violation[] => {
    const reference = block(group.config.launch_template);
    if (reference === undefined) {
      return [
        {
          element: group,
          message:
            "has no launch template, so EKS's default applies: IMDS reachable from pods (hop limit 2).",
          effect: NODE_ROLE_EFFECT,
          fix: 'give the node group a launch template with http_tokens "required" and hop limit 1 (ManagedNodeGroup does).',
          checkov: ['CKV_AWS_341'],
        },
      ];
    }
    if (templateOf(app, group, reference) !== undefined) return [];
    const named =
      app.literal(reference.id, group) ?? app.literal(reference.name, group) ?? 'a value synth cannot read';
    return [
      {
        element: group,
        message: `uses launch template ${named}, which the app does not define: synth cannot see whether it requires IMDSv2 with hop limit 1.`,
        effect: `if it does not, ${NODE_ROLE_EFFECT}`,
        fix: 'define the launch template in the app (metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 }), or suppress CART008 on the node group with the reason it is checked elsewhere.',
        checkov: ['CKV_AWS_79', 'CKV_AWS_341'],
      },
    ];
  });
}

function karpenterNodeClasses(app: SynthesizedApp): Violation[] {
  return manifestObjects(app)
    .filter(({ object }) => object.kind === 'EC2NodeClass')
    .flatMap(({ source, object }): Violation[] => {
      // Karpenter's defaults are IMDSv2 required with hop limit 1: only explicit settings can weaken them.
      const options = kblock(kblock(object, 'spec'), 'metadataOptions');
      if (options === undefined) return [];
      const problems = metadataProblems(
        {
          tokens: options.httpTokens ?? 'required',
          hops: options.httpPutResponseHopLimit ?? 1,
          endpoint: options.httpEndpoint,
        },
        { tokens: 'spec.metadataOptions.httpTokens', hops: 'spec.metadataOptions.httpPutResponseHopLimit' },
      );
      if (problems.length === 0) return [];
      const name = kblock(object, 'metadata')?.name;
      return [
        {
          element: source,
          message: `Karpenter EC2NodeClass ${shown(name)} sets ${problems.map((p) => p.text).join('; ')}: pods on its nodes can reach the instance metadata service.`,
          effect: NODE_ROLE_EFFECT,
          fix: 'remove spec.metadataOptions (Karpenter defaults to httpTokens "required", hop limit 1) or set those values.',
          checkov: problems.map((p) => p.checkov),
        },
      ];
    });
}

function hostNetworkPods(app: SynthesizedApp): Violation[] {
  return kubernetesModel(app)
    .pods.filter((pod) => pod.hostNetwork)
    .map((pod) => ({
      element: pod.source,
      message: `${pod.kind} ${pod.name ?? '?'} sets ${pod.style === 'provider' ? 'host_network' : 'hostNetwork'} = true: its pods use the node's network namespace, where the hop limit of 1 does not apply.`,
      effect: NODE_ROLE_EFFECT,
      fix: `remove ${pod.style === 'provider' ? 'host_network' : 'hostNetwork'} (or suppress CART008 with the reason the pod must share the node's network).`,
      checkov: ['CKV_K8S_19'],
    }));
}

export const nodeMetadata: GuardrailRule = {
  id: 'CART008',
  title:
    'No path from a pod to the node metadata service (IMDSv2 hop limit 1 everywhere, no host-network pods)',
  prevents:
    'Pods reach IMDS and take the node role: a workload without its own identity silently runs as the node (`User: arn:aws:sts::…:assumed-role/…node-group…/i-… is not authorized to perform: dynamodb:GetItem`) instead of failing loudly, and every pod can use the node role.',
  fix: 'launch templates with metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } for every node group and EC2NodeClass; no hostNetwork pods.',
  category: 'always',
  checkov: ['CKV_AWS_79', 'CKV_AWS_341', 'CKV_K8S_19'],
  check: (app) => [
    ...nodeGroups(app),
    ...launchTemplates(app),
    ...instances(app),
    ...karpenterNodeClasses(app),
    ...hostNetworkPods(app),
  ],
};
