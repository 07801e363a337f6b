import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { routeTable } from '../support/route-table.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const DOCUMENTED = /^\/api\/(v1|live-room)\//;
/** The reference itself, which describes the API rather than being part of it. */
const REFERENCE = new Set(['/api/v1/openapi.json', '/api/v1/docs', '/api/v1/docs/reference.js']);

describe('the integrator API OpenAPI document', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let doc: { openapi: string; paths: Record<string, Record<string, unknown>> };
  before(async () => {
    env = await useTestEnvironment();
    const res = await fetch(`${env.tool.url}/api/v1/openapi.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    doc = (await res.json()) as typeof doc;
  });

  it('is a valid OpenAPI 3.1 document, served without a key', async () => {
    assert.equal(doc.openapi, '3.1.0');
    const result = await new Validator().validate(doc as never);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  });

  it('describes exactly the routes the app serves under /api/v1 and /api/live-room', () => {
    const served = routeTable(env.tool.app)
      .filter((r) => DOCUMENTED.test(r.path) && !REFERENCE.has(r.path))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`))
      .sort();
    assert.deepEqual(documented, served);
  });

  it('describes the launch body with its schema, and every answer, errors included', () => {
    const launch = doc.paths['/api/v1/spaces/launch']?.post as {
      requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } };
      responses: Record<string, unknown>;
    };
    const properties = Object.keys(launch.requestBody.content['application/json'].schema.properties);
    for (const field of ['id', 'name', 'user', 'custom_jwt_parameters', 'webhooks'])
      assert.ok(properties.includes(field), field);
    assert.deepEqual(Object.keys(launch.responses).sort(), ['200', '201', '400', '401', '404', '429']);
  });

  it('renders a reference page from the document with Swagger UI, its assets served by the tool', async () => {
    const page = await fetch(`${env.tool.url}/api/v1/docs`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /swagger-ui-bundle\.js/);
    for (const asset of ['docs/assets/swagger-ui-bundle.js', 'docs/assets/swagger-ui.css', 'docs/reference.js']) {
      const res = await fetch(`${env.tool.url}/api/v1/${asset}`);
      assert.equal(res.status, 200, asset);
    }
    // The key check still guards the API itself.
    assert.equal((await fetch(`${env.tool.url}/api/v1/live-sessions`)).status, 401);
  });
});
