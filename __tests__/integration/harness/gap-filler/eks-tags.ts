/** EKS tagging (TagResource, UntagResource, ListTagsForResource) for what moto does not tag. */
import type { Correction, FillerContext } from './correction';
import { clusterArnOf, retag } from './eks-store';
import { json, jsonBody, type FillerRequest, type Reply } from './http';
import { passThrough, replyJson, succeeded } from './upstream';

type Json = Record<string, unknown>;

/**
 * The tags of a filler-kept object, or of a node group: moto tags clusters only (its TagResource answers
 * NotFound for a node group ARN), so node group tags are kept here from the first change on.
 */
async function tagsOf(
  context: FillerContext,
  request: FillerRequest,
  arn: string,
): Promise<{ tags: Record<string, string>; save: (tags: Record<string, string>) => void } | undefined> {
  const object = context.eks.taggable(arn);
  if (object !== undefined) {
    return { tags: (object.tags ?? {}) as Record<string, string>, save: (tags) => (object.tags = tags) };
  }
  const nodegroup = /:nodegroup\/(?<cluster>[^/]+)\/(?<name>[^/]+)\//.exec(arn)?.groups;
  if (nodegroup === undefined) return undefined;
  const described = await context.upstream.call(request, 'eks', {
    method: 'GET',
    path: `/clusters/${encodeURIComponent(nodegroup.cluster)}/node-groups/${encodeURIComponent(nodegroup.name)}`,
  });
  const found = replyJson<{ nodegroup?: Json }>(described)?.nodegroup;
  if (!succeeded(described) || found?.nodegroupArn !== arn) return undefined;
  const state = context.eks.state(clusterArnOf(arn));
  const facts = state.nodegroups.get(nodegroup.name) ?? {};
  return {
    tags: facts.tags ?? ((found.tags ?? {}) as Record<string, string>),
    save: (tags) => state.nodegroups.set(nodegroup.name, { ...facts, tags }),
  };
}

/** Runs `then` on a resource the filler tags; anything else (clusters, unknown ARNs) is moto's to answer. */
async function tagging(
  context: FillerContext,
  request: FillerRequest,
  arn: string,
  then: (tags: Record<string, string>, save: (tags: Record<string, string>) => void) => Reply,
): Promise<Reply> {
  const found = await tagsOf(context, request, arn);
  if (found === undefined) return passThrough(await context.upstream.forward(request));
  return then(found.tags, found.save);
}

const TAGS = /^\/tags\/(?<arn>.+)$/;

export const EKS_TAGS: Correction = {
  name: 'eks-tags',
  terraformTypes: [],
  moto: 'tags clusters only: TagResource/UntagResource/ListTagsForResource answer NotFound for node groups (and know nothing of add-ons, associations, access entries)',
  fix: "answers the tagging operations for node groups and the objects the filler keeps; clusters stay moto's",
  routes: (context) => [
    {
      operation: 'ListTagsForResource',
      service: 'eks',
      method: 'GET',
      path: TAGS,
      handle: (request, { arn }) => tagging(context, request, arn, (tags) => json(200, { tags })),
    },
    {
      operation: 'TagResource',
      service: 'eks',
      method: 'POST',
      path: TAGS,
      handle: (request, { arn }) =>
        tagging(context, request, arn, (tags, save) => {
          save(retag(tags, (jsonBody<Json>(request).tags ?? {}) as Record<string, string>));
          return json(200, {});
        }),
    },
    {
      operation: 'UntagResource',
      service: 'eks',
      method: 'DELETE',
      path: TAGS,
      handle: (request, { arn }) =>
        tagging(context, request, arn, (tags, save) => {
          save(retag(tags, {}, request.url.searchParams.getAll('tagKeys')));
          return json(200, {});
        }),
    },
  ],
};
