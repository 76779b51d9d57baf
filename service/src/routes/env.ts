import type { Logger } from '../logger.js';

/** What every request's context carries, set by the app's first middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** The app's logger with this request's id bound. */
    logger: Logger;
    /** The matched route as a Micrometer-style pattern (`/carts/{customerId}`), once handled; unset for 404s. */
    route: string | undefined;
  };
}
