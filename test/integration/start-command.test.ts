import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { projectRoot } from '../../src/paths.js';
import { freeTcpPort, isTcpPortInUse } from '../../src/dev/stack/ports.js';

interface Run {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exit: Promise<number | null>;
}

function run(script: string, env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot(),
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitFor(r: Run, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = r.output().match(pattern);
    if (match) return match;
    if (r.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`did not print ${pattern}; output:\n${r.output()}`);
}

describe('the npm start stack (scripts/dev-stack.ts)', function () {
  this.timeout(120_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liveclass-start-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  async function startOnce(ports: { tool: number; livekit: number; ferret: number }) {
    const r = run('scripts/dev-stack.ts', {
      LIVECLASS_DATA_DIR: dataDir,
      PORT: String(ports.tool),
      LIVEKIT_PORT: String(ports.livekit),
      FERRETDB_PORT: String(ports.ferret),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      // This test is about the services npm start runs itself.
      MONGODB_URI: '',
      LIVEKIT_URL: '',
    });
    const [, url] = await waitFor(r, /is running at\s+(\S+)/, 60_000);
    return { r, url: (url as string).replace(/\/$/, '') };
  }

  const postmasterPid = path.join(dataDir, 'postgresql', 'cluster', 'postmaster.pid');

  /** The private PostgreSQL of the running stack: its pid and port, from its postmaster.pid. */
  function runningPostgres(): { pid: number; port: number } {
    const [pid, , , port] = readFileSync(postmasterPid, 'utf8').split('\n');
    return { pid: Number(pid), port: Number(port) };
  }

  async function stop(r: Run, ports: number[], postgres: { pid: number; port: number }) {
    r.child.kill('SIGINT');
    assert.equal(await r.exit, 0, `exit code; output:\n${r.output()}`);
    for (const port of [...ports, postgres.port]) {
      assert.equal(await isTcpPortInUse(port), false, `port ${port} still in use after Ctrl-C`);
    }
    assert.throws(() => process.kill(postgres.pid, 0), { code: 'ESRCH' }, 'PostgreSQL has exited');
    assert.equal(existsSync(postmasterPid), false, 'PostgreSQL shut down cleanly (it removes postmaster.pid)');
  }

  it('starts the store, LiveKit and the tool, stops them all on SIGINT, and keeps data for the next run', async () => {
    // What the SQLite version left in ./data: moved aside with a message, never deleted.
    const sqliteDir = path.join(dataDir, 'ferretdb', 'sqlite');
    mkdirSync(sqliteDir, { recursive: true });
    writeFileSync(path.join(sqliteDir, 'liveclass_launches.sqlite'), 'earlier data');
    const ports = { tool: await freeTcpPort(), livekit: await freeTcpPort(), ferret: await freeTcpPort() };
    const first = await startOnce(ports);
    assert.match(first.r.output(), /the embedded store has moved to PostgreSQL/);
    assert.match(first.r.output(), /is not carried over/);
    assert.equal(existsSync(sqliteDir), false);
    // Recording is on where GStreamer and Redis are installed (as CI installs them), and says where files go.
    assert.match(first.r.output(), /recording: on \(LiveKit Egress; files in .*recordings\)/);
    const kept = path.join(dataDir, 'ferretdb-sqlite-old', 'liveclass_launches.sqlite');
    assert.equal(readFileSync(kept, 'utf8'), 'earlier data');
    assert.ok(existsSync(path.join(dataDir, 'postgresql', 'cluster', 'PG_VERSION')), 'the data is in PostgreSQL');
    const postgres = runningPostgres();
    const ready = await fetch(`${first.url}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
    const [, demoUrl] = first.r.output().match(/Demo LMS \(launch from here\):\s+(\S+)/) ?? [];
    assert.equal(demoUrl, `${first.url}/demo`);
    assert.match(await (await fetch(demoUrl as string)).text(), /Join as instructor/);
    const secrets = readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8');
    const uri = `mongodb://127.0.0.1:${ports.ferret}/liveclass`;
    const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 2000 }).asPromise();
    await conn.collection('start_probe').insertOne({ run: 1 });
    await conn.close();
    await stop(first.r, Object.values(ports), postgres);

    const second = await startOnce(ports);
    assert.doesNotMatch(second.r.output(), /moved to PostgreSQL/);
    assert.equal(readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8'), secrets, 'secrets are reused');
    const again = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 2000 }).asPromise();
    assert.equal(await again.collection('start_probe').countDocuments({ run: 1 }), 1, 'data survives a restart');
    await again.close();
    await stop(second.r, Object.values(ports), runningPostgres());
  });

  it('refuses to start when a port is taken, naming the variable to change', async () => {
    const busy = await freeTcpPort();
    const blocker = (await import('node:net')).createServer().listen(busy, '127.0.0.1');
    try {
      const r = run('scripts/dev-stack.ts', {
        LIVECLASS_DATA_DIR: dataDir,
        LIVEKIT_PORT: String(busy),
        PORT: String(await freeTcpPort()),
      });
      assert.equal(await r.exit, 1);
      assert.match(r.output(), new RegExp(`port ${busy} is in use.*LIVEKIT_PORT`));
    } finally {
      blocker.close();
    }
  });

  it('exits with code 78 before listening when the config is invalid, naming the key', async () => {
    const port = await freeTcpPort();
    const r = run('src/main.ts', {
      NODE_ENV: 'development',
      PORT: String(port),
      LIVEKIT_API_KEY: 'k',
      LIVEKIT_API_SECRET: 'too-short',
      LTI_ENCRYPTION_KEY: 'e'.repeat(32),
      ADMIN_API_KEY: 'a'.repeat(24),
    });
    assert.equal(await r.exit, 78, r.output());
    assert.match(r.output(), /livekit\.apiSecret: must be at least 32 characters \(set LIVEKIT_API_SECRET\)/);
    assert.match(r.output(), /livekit\.apiKey: /);
    assert.equal(await isTcpPortInUse(port), false);
  });
});
