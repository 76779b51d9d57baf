/** EC2 launch templates: what moto reports about a template version. */
import type { Correction } from './correction';
import { passThrough, relay, succeeded } from './upstream';
import {
  childText,
  childrenNamed,
  descendantsNamed,
  parseXml,
  withoutElements,
  type XmlElement,
} from './xml';

/**
 * moto copies CreateLaunchTemplate's own TagSpecifications (the tags of the launch template resource) into the
 * first version's LaunchTemplateData as a tag specification for resource type `launch-template`, which a launch
 * template's data can never hold (instance, volume, network-interface, spot-instances-request only). The provider
 * reads it back as a `tag_specifications` block nobody configured and plans to remove it, forever. The filler cuts
 * those entries out of DescribeLaunchTemplateVersions (and the set itself if nothing else is left in it).
 */
export const EC2_LAUNCH_TEMPLATE_TAGS: Correction = {
  name: 'ec2-launch-template-tags',
  terraformTypes: ['aws_launch_template'],
  moto: "reports the template's own tags as a `launch-template` tag specification inside its version data",
  fix: 'removes `launch-template` entries from LaunchTemplateData.TagSpecifications in DescribeLaunchTemplateVersions',
  routes: (context) => [
    {
      operation: 'DescribeLaunchTemplateVersions',
      service: 'ec2',
      method: 'POST',
      action: 'DescribeLaunchTemplateVersions',
      handle: async (request) => {
        const reply = await context.upstream.forward(request);
        if (!succeeded(reply)) return relay(reply);
        const document = reply.body.toString('utf8');
        const corrected = withoutLaunchTemplateTagSpecifications(document);
        return corrected === document ? passThrough(reply) : relay(reply, corrected);
      },
    },
  ],
};

/** The DescribeLaunchTemplateVersions response without tag specifications for the template itself. */
export function withoutLaunchTemplateTagSpecifications(document: string): string {
  const doomed: XmlElement[] = [];
  for (const data of descendantsNamed(parseXml(document), 'launchTemplateData')) {
    for (const set of childrenNamed(data, 'tagSpecificationSet')) {
      const items = childrenNamed(set, 'item');
      const wrong = items.filter((item) => childText(document, item, 'resourceType') === 'launch-template');
      if (wrong.length === 0) continue;
      doomed.push(...(wrong.length === items.length ? [set] : wrong));
    }
  }
  return withoutElements(document, doomed);
}
