/**
 * Values that are each valid but do not fit together: an availability zone of another region, an AMI type for
 * another CPU architecture than the instance types, a certificate in another region than its load balancer.
 */
import { arnRegion, regionOf } from '../aws-context';
import { kubernetesModel } from '../kubernetes-model';
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { block, shown, strings } from '../values';

/** Availability zone id prefixes (`use1-az1`) by region (AWS: "AZ IDs for your AWS resources"). */
const ZONE_ID_PREFIXES: Readonly<Record<string, string>> = {
  use1: 'us-east-1',
  use2: 'us-east-2',
  usw1: 'us-west-1',
  usw2: 'us-west-2',
  cac1: 'ca-central-1',
  caw1: 'ca-west-1',
  sae1: 'sa-east-1',
  mxc1: 'mx-central-1',
  euw1: 'eu-west-1',
  euw2: 'eu-west-2',
  euw3: 'eu-west-3',
  euc1: 'eu-central-1',
  euc2: 'eu-central-2',
  eun1: 'eu-north-1',
  eus1: 'eu-south-1',
  eus2: 'eu-south-2',
  aps1: 'ap-south-1',
  aps2: 'ap-south-2',
  apne1: 'ap-northeast-1',
  apne2: 'ap-northeast-2',
  apne3: 'ap-northeast-3',
  apse1: 'ap-southeast-1',
  apse2: 'ap-southeast-2',
  apse3: 'ap-southeast-3',
  apse4: 'ap-southeast-4',
  apse5: 'ap-southeast-5',
  ape1: 'ap-east-1',
  mes1: 'me-south-1',
  mec1: 'me-central-1',
  afs1: 'af-south-1',
  ilc1: 'il-central-1',
};

/** The region of an availability zone name (`us-east-1a`, `us-west-2-lax-1a`) or id (`use1-az1`). */
function zoneRegion(zone: string, byId: boolean): string | undefined {
  if (byId) return ZONE_ID_PREFIXES[zone.split('-')[0]];
  return /^([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)/.exec(zone)?.[1];
}

const ZONE_ARGUMENTS = [
  ['aws_subnet', 'availability_zone', false],
  ['aws_subnet', 'availability_zone_id', true],
  ['aws_ebs_volume', 'availability_zone', false],
  ['aws_instance', 'availability_zone', false],
] as const;

export const regionZones: GuardrailRule = {
  id: 'CART161',
  title: "Availability zones belong to the region of the resource's provider",
  prevents:
    '`terraform apply` fails: `InvalidParameterValue: Value (us-west-2a) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: …` — and the network, cluster and node groups behind it are never created.',
  fix: "use the zones of the provider's region (config.network.availabilityZoneIds, by zone id such as use1-az1).",
  category: 'always',
  checkov: [],
  check: (app) =>
    ZONE_ARGUMENTS.flatMap(([type, argument, byId]) =>
      app.resources(type).flatMap((resource): Violation[] => {
        const zone = app.literal(resource.config[argument], resource);
        const region = regionOf(app, resource);
        const zonesRegion = zone === undefined ? undefined : zoneRegion(zone, byId);
        if (zone === undefined || region === undefined || zonesRegion === undefined || zonesRegion === region)
          return [];
        return [
          {
            element: resource,
            message: `${argument} ${shown(zone)} is a zone of ${zonesRegion}, but the resource is created in ${region}.`,
            fix: regionZones.fix,
          },
        ];
      }),
    ),
};

/** The CPU architecture of an EC2 instance type: Graviton families carry a `g` after the generation (m7g, c6gn, t4g). */
function instanceArchitecture(instanceType: string): 'arm64' | 'x86_64' | undefined {
  const family = instanceType.split('.')[0];
  if (!/^[a-z]+\d/.test(family)) return undefined;
  return family === 'a1' || /^[a-z]+\d+g[a-z]*$/.test(family) ? 'arm64' : 'x86_64';
}

/** The architecture an EKS AMI type runs on; undefined for CUSTOM. */
function amiArchitecture(amiType: string): 'arm64' | 'x86_64' | undefined {
  if (amiType === 'CUSTOM') return undefined;
  return /ARM_64|arm64/i.test(amiType) ? 'arm64' : 'x86_64';
}

/** EKS's instance type for a node group that names none (nor its launch template). */
const EKS_DEFAULT_INSTANCE_TYPE = 't3.medium';

/** The instance types a node group launches: its own, else its launch template's, else EKS's default. */
function instanceTypes(app: SynthesizedApp, group: ElementView): string[] {
  const own = strings(group.config.instance_types).map((t) => app.literal(t, group) ?? t);
  if (own.length > 0) return own;
  const reference = block(group.config.launch_template);
  const template = app.follow(reference?.id ?? reference?.name, group)?.element;
  const fromTemplate =
    template === undefined ? undefined : app.literal(template.config.instance_type, template);
  return [fromTemplate ?? EKS_DEFAULT_INSTANCE_TYPE];
}

export const amiArchitectureFits: GuardrailRule = {
  id: 'CART162',
  title: "A node group's AMI type fits the CPU architecture of its instance types",
  prevents:
    '`CreateNodegroup` fails: `InvalidParameterException: [m7g.large] is not a valid instance type for requested amiType AL2023_x86_64_STANDARD` — or, through a launch template, nodes that never join the cluster.',
  fix: "pick an AMI type of the instance types' architecture (AL2023_ARM_64_STANDARD for Graviton `g` families, AL2023_x86_64_STANDARD otherwise), or split the node group.",
  category: 'always',
  checkov: [],
  check: (app) =>
    app.resources('aws_eks_node_group').flatMap((group): Violation[] => {
      const amiType = app.literal(group.config.ami_type, group);
      const wanted = amiType === undefined ? undefined : amiArchitecture(amiType);
      if (wanted === undefined) return [];
      const types = instanceTypes(app, group);
      const other = types.filter((t) => {
        const arch = instanceArchitecture(t);
        return arch !== undefined && arch !== wanted;
      });
      if (other.length === 0) return [];
      return [
        {
          element: group,
          message: `ami_type ${shown(amiType)} is built for ${wanted}, but instance_types ${other.map((t) => shown(t)).join(', ')} ${other.length === 1 ? 'is' : 'are'} ${wanted === 'arm64' ? 'x86_64' : 'arm64 (Graviton)'}.`,
          fix: amiArchitectureFits.fix,
        },
      ];
    }),
};

const CERTIFICATE_ANNOTATIONS = [
  'alb.ingress.kubernetes.io/certificate-arn',
  'service.beta.kubernetes.io/aws-load-balancer-ssl-cert',
];

/** The region of a certificate value: a literal ACM ARN, or an `aws_acm_certificate` of the app (its provider's). */
function certificateRegion(
  app: SynthesizedApp,
  value: unknown,
  near: ElementView,
): { region?: string; shown: string } {
  const followed = app.follow(value, near)?.element;
  if (followed?.type === 'aws_acm_certificate')
    return { region: regionOf(app, followed), shown: `${followed.path}` };
  const literal = app.literal(value, near);
  return { region: literal === undefined ? undefined : arnRegion(literal), shown: literal ?? String(value) };
}

function certificateViolation(
  element: ElementView,
  certificate: { region?: string; shown: string },
  lbRegion: string,
  via: string,
): Violation[] {
  if (certificate.region === undefined || certificate.region === lbRegion) return [];
  return [
    {
      element,
      message: `${via} uses certificate ${certificate.shown} in ${certificate.region}, but the load balancer is in ${lbRegion}.`,
      fix: "request (or import) the certificate in the load balancer's region: ACM certificates are regional (only CloudFront takes us-east-1 ones).",
    },
  ];
}

export const certificateRegionFits: GuardrailRule = {
  id: 'CART163',
  title: "Load balancer certificates are in the load balancer's region",
  prevents:
    'The HTTPS listener cannot use the certificate: the Load Balancer Controller reports `CertificateNotFound` and the Ingress gets no ALB (or `terraform apply` fails on the listener) — the shop is unreachable over HTTPS.',
  fix: "create the ACM certificate with the AWS provider of the load balancer's region.",
  category: 'always',
  checkov: [],
  check(app) {
    const clusterRegion = app
      .resources('aws_eks_cluster')
      .map((c) => regionOf(app, c))
      .find((r) => r !== undefined);
    const fromKubernetes =
      clusterRegion === undefined
        ? []
        : kubernetesModel(app).objects.flatMap((object) =>
            CERTIFICATE_ANNOTATIONS.flatMap((key) => {
              const annotation = object.annotations.get(key);
              if (annotation === undefined) return [];
              const values = (app.literal(annotation.value, annotation.source) ?? '')
                .split(',')
                .filter((v) => v.trim() !== '');
              const certificates =
                values.length > 0
                  ? values.map((v) => ({ region: arnRegion(v.trim()), shown: v.trim() }))
                  : [certificateRegion(app, annotation.value, annotation.source)];
              return certificates.flatMap((c) =>
                certificateViolation(
                  annotation.source,
                  c,
                  clusterRegion,
                  `${object.kind} ${object.name ?? '?'} (annotation ${key})`,
                ),
              );
            }),
          );
    const listeners = app
      .resources('aws_lb_listener', 'aws_alb_listener', 'aws_lb_listener_certificate')
      .flatMap((listener) => {
        const region = regionOf(app, listener);
        if (region === undefined || listener.config.certificate_arn === undefined) return [];
        return certificateViolation(
          listener,
          certificateRegion(app, listener.config.certificate_arn, listener),
          region,
          listener.type,
        );
      });
    return [...fromKubernetes, ...listeners];
  },
};
