/**
 * Inside a benchmarked server process (our tool or the bare ltijs tool): counts the store commands the
 * process sends (MongoDB driver command monitoring; the URI carries `monitorCommands=true`) and takes a CPU
 * profile on request. The parent asks over the IPC channel: `count` (in all, by command, by command and
 * collection), `cpu` (this process's CPU time so far), `profile-start`, `profile-stop`.
 */
import { createRequire } from 'node:module';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

let commands = 0;
const byName = new Map<string, number>();
/** `commandName collection` (e.g. `find lti_sessions`): where each round trip goes. */
const byCollection = new Map<string, number>();

/** Every copy of the `mongodb` driver reachable from here: ours (via mongoose 8) and ltijs's (mongoose 7). */
function patchDrivers(): void {
  const require = createRequire(import.meta.url);
  const seen = new Set<unknown>();
  for (const from of ['mongoose', 'ltijs']) {
    let driverPath: string;
    try {
      const base = createRequire(require.resolve(from));
      const viaMongoose = createRequire(base.resolve('mongoose'));
      driverPath = viaMongoose.resolve('mongodb');
    } catch {
      continue;
    }
    const driver = require(driverPath) as { MongoClient: { prototype: { emit: (...a: unknown[]) => boolean } } };
    const proto = driver.MongoClient.prototype;
    if (seen.has(proto)) continue;
    seen.add(proto);
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: unknown, ...rest: unknown[]) {
      if (event === 'commandStarted') {
        commands += 1;
        const started = rest[0] as { commandName?: string; command?: Record<string, unknown> } | undefined;
        const name = started?.commandName ?? '?';
        byName.set(name, (byName.get(name) ?? 0) + 1);
        const target = started?.command?.[name];
        const key = typeof target === 'string' ? `${name} ${target}` : name;
        byCollection.set(key, (byCollection.get(key) ?? 0) + 1);
      }
      return emit.call(this, event, ...rest);
    };
  }
}

/** Self time per function (ms), the top `limit`, from a V8 CPU profile. */
export function topSelfTime(profile: Profile, limit = 20) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!node) return;
    total += dt;
    const f = node.callFrame;
    const file = f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '');
    const where = file.includes('/src/') ? `src/${file.split('/src/').pop()}` : file;
    const key = `${f.functionName || '(anonymous)'} ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const area = areaOf(f.url, f.functionName);
    areas.set(area, (areas.get(area) ?? 0) + dt);
  });
  const top = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([fn, ms]) => ({ fn, selfMs: Math.round(ms), share: Number((ms / total).toFixed(3)) }));
  const byArea = [...areas]
    .sort((a, b) => b[1] - a[1])
    .map(([area, ms]) => ({ area, selfMs: Math.round(ms), share: Number((ms / total).toFixed(3)) }));
  return { sampledMs: Math.round(total), byArea, top };
}

/** Where a function lives: our src/, an npm package, Node's own JS, or native/V8 (no script). */
function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : `native: ${name}`;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/node_modules/')) {
    const parts = (url.split('/node_modules/').pop() as string).split('/');
    return `npm: ${parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (url.includes('/src/')) return 'our src/';
  return 'other';
}

export function installProbe(): void {
  patchDrivers();
  const session = new Session();
  session.connect();
  process.on('message', (msg: { id: number; op: string }) => {
    const reply = (value: unknown) => process.send?.({ id: msg.id, value });
    if (msg.op === 'cpu') reply(process.cpuUsage());
    else if (msg.op === 'count')
      reply({ commands, byName: Object.fromEntries(byName), byCollection: Object.fromEntries(byCollection) });
    else if (msg.op === 'profile-start')
      void session
        .post('Profiler.enable')
        .then(() => session.post('Profiler.start'))
        .then(() => reply(true));
    else if (msg.op === 'profile-stop')
      void session.post('Profiler.stop').then(({ profile }) => reply(topSelfTime(profile as unknown as Profile)));
  });
}
