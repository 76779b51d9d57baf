/**
 * Kubernetes objects are written two ways in Terraform JSON: the kubernetes provider's resources use snake_case and
 * singular block names (`init_container`, `volume_mount`, `env_from`), `kubernetes_manifest` and Helm values use the
 * API's camelCase (`initContainers`, `volumeMounts`, `envFrom`). These accessors read either.
 */
import { block, blocks, field, type Json } from './values';

/** API names whose provider block has another name than the snake_case of the API name. */
const PROVIDER_BLOCK_NAMES: Readonly<Record<string, string>> = {
  containers: 'container',
  initContainers: 'init_container',
  volumes: 'volume',
  volumeMounts: 'volume_mount',
  ports: 'port',
};

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A field by its Kubernetes API name, in either spelling. */
export function kfield(object: Json | undefined, name: string): unknown {
  return field(object, name, PROVIDER_BLOCK_NAMES[name] ?? snake(name));
}

/** A nested object by API name (single block or object). */
export function kblock(object: Json | undefined, name: string): Json | undefined {
  return block(kfield(object, name));
}

/** A list of objects by API name. */
export function kblocks(object: Json | undefined, name: string): Json[] {
  return blocks(kfield(object, name));
}

/** Follows nested objects by API names: `kpath(manifest, 'spec', 'template', 'spec')`. */
export function kpath(object: Json | undefined, ...names: string[]): Json | undefined {
  let current = object;
  for (const name of names) current = kblock(current, name);
  return current;
}
