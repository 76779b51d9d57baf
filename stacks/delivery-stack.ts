import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import {
  GithubActionsRole,
  GithubOidcProvider,
  githubSubject,
  requireRepository,
} from '../modules/github-oidc';
import { AwsStack, type EnvironmentStackProps } from './environment-stack';
import type { CartOutputs } from './cart-stack';
import type { ClusterOutputs } from './cluster-stack';
import {
  deployerStatements,
  publisherStatements,
  readStatements,
  type DeliveryScope,
} from './delivery-policies';

export interface DeliveryStackProps extends EnvironmentStackProps {
  /** The cluster stack's outputs (the access entries, the scope of the deployer's EKS permissions). */
  readonly cluster: ClusterOutputs;
  /** The cart stack's outputs (the repository the publisher pushes to). */
  readonly cart: CartOutputs;
  /** ARN of the cart's ECR repository. */
  readonly repositoryArn: string;
  /** ARN of the state bucket (the deployer's and planner's state keys). */
  readonly stateBucketArn: string;
}

/** The delivery roles' ARNs: the values of the GitHub variables the workflows read. */
export interface DeliveryOutputs {
  readonly publisherRoleArn: string;
  readonly deployerRoleArn: string;
  readonly plannerRoleArn: string;
}

/** EKS access policies: the deployer installs charts and workloads; the planner only reads. */
const CLUSTER_ADMIN = 'AmazonEKSClusterAdminPolicy';
const CLUSTER_VIEW = 'AmazonEKSViewPolicy';

/**
 * GitHub Actions' way into this environment, without stored keys: the OIDC provider (or the account's existing
 * one) and three roles trusted only by the configured repository — the image publisher (main branch), the
 * deployer (the GitHub environment, behind its protection rules) and the read-only planner (pull requests) —
 * plus the deployer's and planner's EKS access entries. Applied by an administrator, like the state stack: the
 * deployer cannot change these roles (their names are outside its `<cluster name>-` prefix).
 */
export class DeliveryStack extends AwsStack {
  public readonly oidcProvider: GithubOidcProvider;
  public readonly publisher: GithubActionsRole;
  public readonly deployer: GithubActionsRole;
  public readonly planner: GithubActionsRole;
  public readonly outputs: DeliveryOutputs;
  private readonly cluster: ClusterOutputs;

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, props);
    const { config, cluster } = props;
    this.cluster = cluster;
    const repository = config.delivery.repository;
    if (repository === undefined) {
      throw new Error('DeliveryStack: config.delivery.repository is unset (CART_GITHUB_REPOSITORY)');
    }
    requireRepository('DeliveryStack config.delivery.repository', repository);
    const prefix = `${config.project}-${config.environment}-github`;
    if (prefix.startsWith(`${config.cluster.name}-`)) {
      throw new Error(
        `DeliveryStack: role prefix "${prefix}" starts with the cluster name "${config.cluster.name}-", which the deployer may manage; rename the cluster or the project`,
      );
    }
    const where: DeliveryScope = {
      partition: cluster.partition,
      region: config.region,
      accountId: cluster.accountId,
      environment: config.environment,
      clusterName: cluster.clusterName,
      tableName: props.cart.tableName,
      repositoryArn: props.repositoryArn,
      stateBucketArn: props.stateBucketArn,
      lockTableName: config.state.lockTableName,
    };
    this.oidcProvider = new GithubOidcProvider(this, 'github-oidc', {
      existingProviderArn: config.delivery.oidcProviderArn,
    });
    const role = (name: string, description: string, subject: string, statements = readStatements(where)) =>
      new GithubActionsRole(this, name, {
        roleName: `${prefix}-${name}`,
        description,
        providerArn: this.oidcProvider.arn,
        subjects: [subject],
        statements,
      });
    this.publisher = role(
      'publisher',
      `Pushes the cart image to ${props.cart.repositoryUrl} from ${repository}@${config.delivery.mainBranch}`,
      githubSubject.branch(repository, config.delivery.mainBranch),
      publisherStatements(where),
    );
    const githubEnvironment = config.delivery.githubEnvironment ?? config.environment;
    this.deployer = role(
      'deployer',
      `Deploys ${config.environment} from ${repository}, GitHub environment ${githubEnvironment}`,
      githubSubject.environment(repository, githubEnvironment),
      deployerStatements(where),
    );
    this.planner = role(
      'planner',
      `Plans ${config.environment} (read-only) for pull requests of ${repository}`,
      githubSubject.pullRequest(repository),
    );
    this.grantClusterAccess('deployer', this.deployer, CLUSTER_ADMIN);
    this.grantClusterAccess('planner', this.planner, CLUSTER_VIEW);

    this.outputs = {
      publisherRoleArn: this.publisher.arn,
      deployerRoleArn: this.deployer.arn,
      plannerRoleArn: this.planner.arn,
    };
    const suffix = config.environment.toUpperCase();
    const output = (name: string, value: string, variable: string) =>
      new TerraformOutput(this, name, { value, description: `GitHub variable ${variable}` });
    output('publisher-role-arn', this.outputs.publisherRoleArn, `AWS_PUBLISHER_ROLE_ARN_${suffix}`);
    output(
      'deployer-role-arn',
      this.outputs.deployerRoleArn,
      `AWS_DEPLOYER_ROLE_ARN (environment ${githubEnvironment})`,
    );
    output('planner-role-arn', this.outputs.plannerRoleArn, `AWS_PLANNER_ROLE_ARN_${suffix}`);
  }

  /** An EKS access entry for the role with one cluster-wide access policy. */
  private grantClusterAccess(id: string, role: GithubActionsRole, policy: string): void {
    const { clusterName, partition } = this.cluster;
    const entry = new EksAccessEntry(this, `${id}-access-entry`, {
      clusterName,
      principalArn: role.arn,
      type: 'STANDARD',
    });
    new EksAccessPolicyAssociation(this, `${id}-access-policy`, {
      clusterName,
      principalArn: entry.principalArn,
      policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${policy}`,
      accessScope: { type: 'cluster' },
    });
  }
}
