import { createDemoPlatform, type DemoPlatform } from '../dev/demo-platform.js';
import type { ToolRegistration } from '../lti/registration.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

export interface DemoModule extends ToolModule {
  demo: DemoPlatform;
}

/** The demo LMS under /demo (development and tests); it registers itself like any platform. */
export async function demoModule(s: Services, registration: ToolRegistration): Promise<DemoModule> {
  const { publicUrl, logger } = s;
  const demo = await createDemoPlatform({
    publicUrl,
    tool: {
      loginUrl: `${publicUrl}/lti/login`,
      launchUrl: `${publicUrl}/lti/launch`,
      jwksUrl: `${publicUrl}/lti/keys`,
      // What dynamic registration gives a real LMS: the tool-level custom parameters of the registration.
      customParameters: registration.customParameters,
    },
    logger,
  });
  return {
    name: 'demo',
    demo,
    mounts: [{ path: '/demo', router: demo.router }],
    // Through the same service as the admin API, once the platforms' unique index exists.
    async start() {
      const r = demo.registration;
      await s.platforms.upsert({ ...r, deploymentIds: [r.deploymentId], source: 'demo', active: true });
      logger.info({ issuer: r.issuer }, 'demo LMS registered');
    },
  };
}
