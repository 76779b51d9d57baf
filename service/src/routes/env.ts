import type { HttpBindings } from '@hono/node-server';

/** What every request's context carries, set by the app's first middleware. */
export interface AppEnv {
  /** Node's request and response under @hono/node-server; absent in `app.request` (tests). */
  Bindings: Partial<HttpBindings> | undefined;
  Variables: {
    /** The request's id: a well-formed incoming X-Request-Id, or a new UUID; echoed on the response. */
    requestId: string;
    /** The matched route as a Micrometer-style pattern (`/carts/{customerId}`), once handled; unset for 404s. */
    route: string | undefined;
  };
}
