import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder holding package.json; the same from src/ (tsx) and from dist/src/ (compiled). */
export function projectRoot(from: string = import.meta.dirname): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`no package.json above ${from}`);
}

export const clientBuildDir = (): string => path.join(projectRoot(), 'dist', 'client');
export const configDir = (): string => path.join(projectRoot(), 'config');
