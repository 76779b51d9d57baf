/** ARNs of AWS-managed IAM policies, built on the partition so GovCloud and China work too. */
export function managedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}
