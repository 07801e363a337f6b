import { attendance } from './attendance';
import { breakouts } from './breakouts';
import { chat } from './chat';
import { common } from './common';
import { pages } from './pages';
import { people } from './people';
import { polls } from './polls';
import { recording } from './recording';
import { recordings } from './recordings';
import { room } from './room';

export const en = {
  ...common,
  ...pages,
  ...room,
  ...chat,
  ...attendance,
  ...people,
  ...polls,
  ...breakouts,
  ...recording,
  ...recordings,
};
