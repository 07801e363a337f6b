#!/usr/bin/env node
// Entry point of `npm start` and `npm test` on a fresh clone: plain Node, no dependencies, so it can run
// before `npm ci`. Installs what is missing, then hands over to the real command.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function requireNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(`Node.js 20.19 or newer is required (this is ${process.version}).`);
    process.exit(1);
  }
}

function ensureDependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const fresh = existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs);
  if (fresh) return;
  console.log('• installing npm dependencies');
  run(npm, existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs the long-lived command, forwards stop signals and exits with its code. */
function handOver(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

requireNode();
ensureDependencies();
const task = process.argv[2];
if (task === 'start') {
  console.log('• building server and client');
  run(npm, ['run', '--silent', 'build']);
  handOver(process.execPath, [path.join(root, 'dist', 'scripts', 'dev-stack.js')]);
} else if (task === 'test') {
  handOver(npm, ['run', '--silent', 'test:all']);
} else {
  console.error('usage: node scripts/bootstrap.mjs start|test');
  process.exit(2);
}
