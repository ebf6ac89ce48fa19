// The leases: section of config/settings.yaml: advisory-lock leases for standbys and scale-out.
import { z } from 'zod';

/** Advisory-lock leases per unit of work (issue #18; docs/DEPLOY.md "Standbys and scale-out"): a
 * second instance of a service is a hot standby, several share the units. */
export const leaseSettingsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** How often an instance tries the units it does not hold (and counts the live instances):
     * a dead instance's units are taken over within about this. */
    retry_ms: z.number().int().min(100).max(1_000).default(500),
  })
  .prefault({});
