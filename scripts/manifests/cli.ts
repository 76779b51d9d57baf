/**
 * `npm run manifests [env…]`: writes the cart's plain manifests for Argo CD to `deploy/manifests/<env>/` (or the
 * environment's `gitops.path`), replacing what was there. Default environments: dev and prod. The image tag is the
 * configuration's (CART_IMAGE_TAG, else the commit of HEAD), as for `npm run synth`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentFromVariables } from '../../stacks/config/environments';
import { manifestsPath } from '../../stacks/cart-gitops';
import { cartManifests } from './cart-manifests';

const environments = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['dev', 'prod'];
for (const environment of environments) {
  const config = environmentFromVariables({ ...process.env, CART_ENV: environment });
  const dir = manifestsPath(config);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = cartManifests(config);
  for (const { file, text } of files) writeFileSync(join(dir, file), text);
  console.log(`${environment}: ${files.length} manifests → ${dir}/`);
}
