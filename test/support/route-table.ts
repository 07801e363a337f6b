import type { Express } from 'express';

export interface RouteEntry {
  method: string;
  /** Express path with its `:params`, mount paths included: `/api/admin/platforms/:id`. */
  path: string;
}

/** The parts of express 4's router layers we read; express keeps no public route list. */
interface Layer {
  name?: string;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  regexp?: RegExp & { fast_slash?: boolean };
}

/**
 * Every route the app serves, walked from express's router stack (mounted routers included), so a suite
 * that goes through this list covers a route the day it is added. Static file middleware is not a route.
 */
export function routeTable(app: Express): RouteEntry[] {
  const root = (app as unknown as { _router?: { stack: Layer[] } })._router;
  if (!root) throw new Error('the app has no router yet');
  const routes: RouteEntry[] = [];
  walk(root.stack, '', routes);
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function walk(stack: Layer[], prefix: string, into: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      if (typeof layer.route.path !== 'string') throw new Error(`a route at ${prefix} has a non-string path`);
      for (const method of Object.keys(layer.route.methods)) {
        if (method === '_all') continue;
        into.push({ method: method.toUpperCase(), path: join(prefix, layer.route.path) || '/' });
      }
    } else if (layer.handle?.stack) {
      walk(layer.handle.stack, join(prefix, mountPath(layer)), into);
    }
  }
}

/** A mounted router's path from the regexp express compiled it to (`/^\/api\/admin\/?(?=\/|$)/i`). */
function mountPath(layer: Layer): string {
  if (!layer.regexp || layer.regexp.fast_slash) return '';
  const source = layer.regexp.source.replace(/^\^/, '').replace('\\/?(?=\\/|$)', '');
  if (/[()[\]*+?|]/.test(source.replace(/\\\//g, ''))) throw new Error(`a router mounted at a pattern: ${source}`);
  return source.replace(/\\\//g, '/');
}

const join = (prefix: string, path: string): string => `${prefix}${path === '/' && prefix ? '' : path}`;
