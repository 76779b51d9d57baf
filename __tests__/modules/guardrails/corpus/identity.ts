/** Class 4: the identity the cart's pods really get — association, annotation, trust — end to end. */
import { Annotations as KubernetesAnnotations } from '@cdktf/provider-kubernetes/lib/annotations';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { policyDocument } from '../../../../modules/iam-policy';
import { NAMESPACE, SERVICE_ACCOUNT } from '../fixture';
import {
  loadBalancerControllerRole,
  manifestWorkload,
  mountCartSecrets,
  secretProviderClass,
} from './helpers';
import type { ExtensionMistake } from './types';

const OTHER_ISSUER = 'oidc.eks.us-west-2.amazonaws.com/id/0THERC1USTER0000000000000000000';

export const IDENTITY: ExtensionMistake[] = [
  {
    class: 4,
    what: 'the association names the dev cluster (a literal left over from copy-paste)',
    rule: 'CART005',
    path: 'cart/association',
    mentions: ['retail-dev-eks', 'retail-prod-eks'],
    extend: (f) => f.association?.addOverride('cluster_name', 'retail-dev-eks'),
  },
  {
    class: 4,
    what: 'the association is created through a provider in another region',
    rule: 'CART005',
    path: 'cart/association-west',
    mentions: ['us-west-2', 'us-east-1'],
    extend: (f) => {
      f.association?.addOverride('count', 0);
      const west = new AwsProvider(f.stacks.cart, 'aws-west', { region: 'us-west-2', alias: 'west' });
      new EksPodIdentityAssociation(f.stacks.cart, 'association-west', {
        provider: west,
        clusterName: 'retail-prod-eks',
        namespace: NAMESPACE,
        serviceAccount: SERVICE_ACCOUNT,
        roleArn: f.role.arn,
      });
    },
  },
  {
    class: 4,
    what: 'the IRSA annotation names a role the app does not define',
    rule: 'CART005',
    path: 'cart-workload/service-account',
    mentions: ['arn:aws:iam::123456789012:role/legacy-cart', 'outside the app'],
    options: { identity: 'irsa' },
    extend: (f) =>
      f.serviceAccount.addOverride('metadata.annotations', {
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/legacy-cart',
      }),
  },
  {
    class: 4,
    what: "the IRSA annotation names the Load Balancer Controller's role",
    rule: 'CART005',
    path: 'cart-workload/service-account',
    mentions: ['cart/lbc-role', 'kube-system/aws-load-balancer-controller'],
    options: { identity: 'irsa' },
    extend: (f) => {
      const role = loadBalancerControllerRole(f);
      f.serviceAccount.addOverride('metadata.annotations', { 'eks.amazonaws.com/role-arn': role.arn });
    },
  },
  {
    class: 4,
    what: "the Pod Identity role's trust lacks sts:TagSession",
    rule: 'CART005',
    path: 'cart/role',
    mentions: ['sts:TagSession'],
    extend: (f) =>
      f.role.addOverride(
        'assume_role_policy',
        policyDocument([{ principals: { Service: 'pods.eks.amazonaws.com' }, actions: ['sts:AssumeRole'] }]),
      ),
  },
  {
    class: 4,
    what: 'a Pod Identity association points at a role that only trusts an OIDC provider',
    rule: 'CART005',
    path: 'cart/role',
    mentions: ['pods.eks.amazonaws.com'],
    extend: (f) =>
      f.role.addOverride(
        'assume_role_policy',
        policyDocument([
          {
            principals: { Federated: `arn:aws:iam::123456789012:oidc-provider/${OTHER_ISSUER}` },
            actions: ['sts:AssumeRoleWithWebIdentity'],
            conditions: {
              StringEquals: {
                [`${OTHER_ISSUER}:sub`]: `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`,
              },
            },
          },
        ]),
      ),
  },
  {
    class: 4,
    what: "the IRSA trust names another cluster's OIDC provider",
    rule: 'CART005',
    path: 'cart/role',
    mentions: [OTHER_ISSUER],
    options: { identity: 'irsa' },
    extend: (f) => {
      new IamOpenidConnectProvider(f.stacks.cluster, 'oidc', {
        url: 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
        clientIdList: ['sts.amazonaws.com'],
      });
      f.role.addOverride(
        'assume_role_policy',
        policyDocument([
          {
            principals: { Federated: `arn:aws:iam::123456789012:oidc-provider/${OTHER_ISSUER}` },
            actions: ['sts:AssumeRoleWithWebIdentity'],
            conditions: {
              StringEquals: {
                [`${OTHER_ISSUER}:sub`]: `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`,
              },
            },
          },
        ]),
      );
    },
  },
  {
    class: 4,
    what: 'a manifest Deployment of the cart runs as the namespace default service account',
    rule: 'CART005',
    path: 'cart-workload/carts-manifest',
    mentions: [`${NAMESPACE}/default`],
    extend: (f) => manifestWorkload(f.stacks.workload, 'carts-manifest', { serviceAccountName: 'default' }),
  },
  {
    class: 4,
    what: "a kubernetes_annotations patch puts another workload's role on the cart ServiceAccount",
    rule: 'CART005',
    path: 'cart-workload/irsa-patch',
    mentions: ['cart/lbc-role'],
    extend: (f) => {
      const role = loadBalancerControllerRole(f);
      new KubernetesAnnotations(f.stacks.workload, 'irsa-patch', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: SERVICE_ACCOUNT, namespace: NAMESPACE },
        annotations: { 'eks.amazonaws.com/role-arn': role.arn },
      });
    },
  },
  {
    class: 4,
    what: "the cart's role is also associated with another service account",
    rule: 'CART005',
    path: 'cart/reporting-association',
    mentions: ['reporting/exporter'],
    extend: (f) =>
      new EksPodIdentityAssociation(f.stacks.cart, 'reporting-association', {
        clusterName: 'retail-prod-eks',
        namespace: 'reporting',
        serviceAccount: 'exporter',
        roleArn: f.role.arn,
      }),
  },
  // CART013: the SecretProviderClass's usePodIdentity against the mounting service account's binding.
  {
    class: 4,
    what: 'an upstream SecretProviderClass example (no usePodIdentity: IRSA) mounted by the Pod Identity cart',
    rule: 'CART013',
    path: 'cart-workload/upstream-spc',
    mentions: ['no usePodIdentity (IRSA)', 'cart/association', 'eks.amazonaws.com/role-arn'],
    extend: (f) => {
      secretProviderClass(f.stacks.workload, 'upstream-spc');
      mountCartSecrets(f);
    },
  },
  {
    class: 4,
    what: 'the cart moved to IRSA, its SecretProviderClass still says usePodIdentity "true"',
    rule: 'CART013',
    path: 'cart-workload/spc',
    mentions: ['usePodIdentity: "true" (EKS Pod Identity)', 'IRSA annotation cart-workload/service-account'],
    options: { identity: 'irsa' },
    extend: (f) => {
      secretProviderClass(f.stacks.workload, 'spc', 'true');
      mountCartSecrets(f);
    },
  },
  {
    class: 4,
    what: 'usePodIdentity "yes" (not a Go boolean: ASCP fails every mount)',
    rule: 'CART013',
    path: 'cart-workload/spc',
    mentions: ['usePodIdentity: "yes"', 'failed to parse usePodIdentity value'],
    extend: (f) => {
      secretProviderClass(f.stacks.workload, 'spc', 'yes');
      mountCartSecrets(f);
    },
  },
  {
    class: 4,
    what: 'a kubectl_manifest SecretProviderClass with usePodIdentity "False", mounted by a manifest canary (Pod Identity)',
    rule: 'CART013',
    path: 'cart-workload',
    mentions: ['canary-secrets', 'usePodIdentity: "False" (IRSA)', 'cart-workload/canary'],
    extend: (f) => {
      f.stacks.workload.addOverride('resource.kubectl_manifest.spc-yaml', {
        yaml_body: [
          'apiVersion: secrets-store.csi.x-k8s.io/v1',
          'kind: SecretProviderClass',
          'metadata: { name: canary-secrets, namespace: carts }',
          'spec:',
          '  provider: aws',
          '  parameters:',
          '    usePodIdentity: "False"',
          '    objects: |',
          '      - objectName: "retail/cart/api"',
          '        objectType: "secretsmanager"',
        ].join('\n'),
      });
      manifestWorkload(f.stacks.workload, 'canary', {
        podSpec: {
          volumes: [
            {
              name: 'secrets',
              csi: {
                driver: 'secrets-store.csi.k8s.io',
                readOnly: true,
                volumeAttributes: { secretProviderClass: 'canary-secrets' },
              },
            },
          ],
        },
      });
    },
  },
];
