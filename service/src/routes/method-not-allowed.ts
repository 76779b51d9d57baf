/**
 * Hono answers a known path with the wrong method as "not found"; upstream (Spring) answers 405 with an Allow
 * header. This finds the methods registered for a path so the not-found handler can tell the two apart.
 */

interface RegisteredRoute {
  readonly method: string;
  readonly path: string;
}

const patterns = new Map<string, RegExp>();

/** `/carts/:customerId/items` → /^\/carts\/[^/]+\/items$/ (a parameter never matches an empty segment). */
function patternOf(path: string): RegExp {
  let pattern = patterns.get(path);
  if (!pattern) {
    const source = path
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    patterns.set(path, (pattern = new RegExp(`^${source}$`)));
  }
  return pattern;
}

/** The methods routes answer for `path` (HEAD wherever GET is); empty when no route has this path. */
export function allowedMethods(routes: readonly RegisteredRoute[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    // Middleware is registered for ALL methods and wildcard paths; it does not make a path exist.
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    if (patternOf(route.path).test(path)) methods.add(route.method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

const labels = new Map<string, string>();

/** Hono's `/carts/:customerId` as Micrometer's `/carts/{customerId}`, for the `uri` metric label (cached). */
export function uriLabel(path: string): string {
  let label = labels.get(path);
  if (label === undefined) labels.set(path, (label = path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')));
  return label;
}
