import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { projectRoot } from '../paths.js';
import { openApiDocument } from './openapi.js';

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Live class integrator API</title>
    <link rel="stylesheet" href="docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="reference"></div>
    <script src="docs/assets/swagger-ui-bundle.js"></script>
    <script src="docs/reference.js"></script>
  </body>
</html>
`;
// A file of our own, not inline: the tool's CSP allows scripts from itself only.
const start = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#reference', deepLinking: true });\n`;

/**
 * GET /api/v1/openapi.json (the document, built from the zod schemas the routes validate with) and
 * /api/v1/docs (a reference page rendered by Swagger UI). Public: they describe the API, they open nothing.
 */
export function apiReferenceRouter(options: { publicUrl: string; allowHttpWebhooks: boolean }): Router {
  const { version } = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  const document = JSON.stringify(openApiDocument({ ...options, version }));
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.set('cache-control', 'no-cache').type('application/json').send(document);
  });
  router.get('/docs', (req, res) => {
    // Relative asset URLs need the trailing slash-free path: /api/v1/docs resolves docs/... under /api/v1/.
    if (req.originalUrl.endsWith('/')) return res.redirect(301, req.originalUrl.replace(/\/+$/, ''));
    res.set('cache-control', 'no-cache').type('html').send(page);
  });
  router.get('/docs/reference.js', (_req, res) => {
    res.set('cache-control', 'no-cache').type('text/javascript').send(start);
  });
  router.use('/docs/assets', express.static(getAbsoluteFSPath(), { maxAge: '1d', index: false, fallthrough: false }));
  return router;
}
