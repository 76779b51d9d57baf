/**
 * Nodes must keep pods away from the instance metadata service: IMDSv2 only, hop limit 1 (a pod is one hop
 * further than the node), so a pod without its own identity fails loudly instead of borrowing the node role.
 */
import { block, num, type SynthesizedApp } from '../synthesized-app';
import { type GuardrailRule, type Violation } from '../types';

function launchTemplateViolations(app: SynthesizedApp): Violation[] {
  return app.resources('aws_launch_template').flatMap((template) => {
    const options = block(template.config.metadata_options);
    if (options?.http_endpoint === 'disabled') return [];
    const problems: { text: string; checkov: string }[] = [];
    if (options?.http_tokens !== 'required') {
      problems.push({
        text: `metadata_options.http_tokens is ${JSON.stringify(options?.http_tokens ?? null)} (IMDSv1 allowed)`,
        checkov: 'CKV_AWS_79',
      });
    }
    const hops = num(options?.http_put_response_hop_limit);
    if (hops === undefined || hops > 1) {
      problems.push({
        text: `metadata_options.http_put_response_hop_limit is ${hops ?? 'unset (EKS AMIs use 2)'}`,
        checkov: 'CKV_AWS_341',
      });
    }
    if (problems.length === 0) return [];
    return [
      {
        element: template,
        message: `${problems.map((p) => p.text).join('; ')}: pods can reach the instance metadata service.`,
        fix: 'set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (ManagedNodeGroup does).',
        checkov: problems.map((p) => p.checkov),
      },
    ];
  });
}

export const nodeMetadata: GuardrailRule = {
  id: 'CART008',
  title: 'Node groups require IMDSv2 with a hop limit of 1',
  prevents:
    'Pods reach IMDS and take the node role: a workload without its own identity silently runs as the node (`User: arn:aws:sts::…:assumed-role/…node-group…/i-… is not authorized to perform: dynamodb:GetItem`) instead of failing loudly, and every pod can use the node role.',
  category: 'always',
  checkov: ['CKV_AWS_79', 'CKV_AWS_341'],
  check(app) {
    const withoutTemplate = app
      .resources('aws_eks_node_group')
      .filter((group) => block(group.config.launch_template) === undefined)
      .map((group) => ({
        element: group,
        message: "has no launch template, so EKS's default applies: IMDS reachable from pods (hop limit 2).",
        fix: 'give the node group a launch template with http_tokens "required" and hop limit 1 (ManagedNodeGroup does).',
        checkov: ['CKV_AWS_341'],
      }));
    return [...withoutTemplate, ...launchTemplateViolations(app)];
  },
};
