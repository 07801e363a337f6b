import type { Catalog } from '..';
import { common } from './common';
import { pages } from './pages';
import { room } from './room';

export const es: Catalog = { ...common, ...pages, ...room };
