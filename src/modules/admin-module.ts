import { eraseUser } from '../db/user-erasure.js';
import { adminRouter } from '../http/admin-router.js';
import { identityIn, namespaceOf, type OwnerRef } from '../rooms/room-owner.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

/** The operator's API (platforms, API keys) under /api/admin, behind the admin key. */
export function adminModule(s: Services): ToolModule {
  return {
    name: 'admin',
    mounts: [
      {
        path: '/api/admin',
        router: adminRouter({
          apiKey: s.config.admin.apiKey,
          platforms: s.platforms,
          apiKeys: s.apiKeys,
          eraseUser: async (person) => {
            const ref: OwnerRef =
              'platformId' in person
                ? { kind: 'lti', platformId: person.platformId }
                : { kind: 'space', apiKeyId: person.apiKeyId };
            const { erasureId, ...erased } = await eraseUser(
              s.db.connection,
              { namespace: namespaceOf(ref), userId: person.userId, identity: identityIn(ref, person.userId) },
              (id) => s.sessions.revoke(id),
            );
            return { erased: { ...erased }, erasureId };
          },
        }),
      },
    ],
  };
}
