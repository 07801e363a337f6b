import { adminRouter } from '../http/admin-router.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

/** The operator's API (platforms, API keys) under /api/admin, behind the admin key. */
export function adminModule(s: Services): ToolModule {
  return {
    name: 'admin',
    mounts: [
      {
        path: '/api/admin',
        router: adminRouter({ apiKey: s.config.admin.apiKey, platforms: s.platforms, apiKeys: s.apiKeys }),
      },
    ],
  };
}
