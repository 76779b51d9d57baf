/**
 * An ACM certificate for one hostname, validated through a DNS record in a Route53 hosted zone the account owns.
 * Terraform waits for the validation, so whatever uses `certificateArn` (an ALB listener) gets an issued certificate.
 */
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { HOSTNAME } from '@cart-platform/service/validators';
import { requireFormat } from './validate';

const HOSTED_ZONE_ID = {
  pattern: /^Z[A-Z0-9]{1,31}$/,
  expected: 'a Route53 hosted zone id such as Z0123456789ABCDEFGHIJ',
};

export interface DnsValidatedCertificateProps {
  /** The hostname the certificate is for (a single name, no wildcard). */
  readonly hostname: string;
  /** The Route53 hosted zone holding `hostname`, where the validation record is written. */
  readonly hostedZoneId: string;
  /** Tags of the certificate. @default - none beyond the provider's default tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An ACM certificate, its DNS validation record and the validation Terraform waits on. */
export class DnsValidatedCertificate extends Construct {
  public readonly certificate: AcmCertificate;
  public readonly validationRecord: Route53Record;
  public readonly validation: AcmCertificateValidation;
  /** The ARN, known only once the certificate is issued (references the validation). */
  public readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    requireFormat('DnsValidatedCertificate', 'hostname', HOSTNAME, props.hostname);
    requireFormat('DnsValidatedCertificate', 'hostedZoneId', HOSTED_ZONE_ID, props.hostedZoneId);
    this.certificate = new AcmCertificate(this, 'certificate', {
      domainName: props.hostname,
      validationMethod: 'DNS',
      ...(props.tags !== undefined && { tags: { ...props.tags } }),
      // A replacement (new hostname) is issued before the listener lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });
    // One name, so one validation option; a set in the provider, hence tolist.
    const option = Fn.element(Fn.tolist(this.certificate.domainValidationOptions), 0);
    this.validationRecord = new Route53Record(this, 'validation-record', {
      zoneId: props.hostedZoneId,
      name: Fn.lookup(option, 'resource_record_name'),
      type: Fn.lookup(option, 'resource_record_type'),
      records: [Fn.lookup(option, 'resource_record_value')],
      ttl: 60,
      allowOverwrite: true,
    });
    this.validation = new AcmCertificateValidation(this, 'validation', {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: [this.validationRecord.fqdn],
    });
    this.certificateArn = this.validation.certificateArn;
  }
}
