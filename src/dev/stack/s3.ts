import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { binCacheDir, install, requireGo, type BinaryResult, type Progress } from './binaries.js';
import { startProcess, type ManagedProcess } from './child-process.js';
import { freeTcpPort } from './ports.js';

const run = promisify(execFile);

/**
 * gofakes3, a small S3-compatible server (path-style buckets, multipart uploads, ranges, presigned GETs and
 * their response-* overrides), stands in for the production bucket where tests record to S3. It does not
 * check signatures: what it proves is the protocol, not the keys.
 */
export const FAKE_S3_VERSION = 'v1.2.0';

export async function ensureFakeS3(progress: Progress = () => {}): Promise<BinaryResult> {
  if (process.env.FAKE_S3_BIN) return { path: process.env.FAKE_S3_BIN, built: false };
  const target = path.join(binCacheDir(), `gofakes3-${FAKE_S3_VERSION}`, 'gofakes3');
  if (existsSync(target)) return { path: target, built: false };
  await requireGo();
  progress(`building gofakes3 ${FAKE_S3_VERSION} with go install (first run only, about a minute on a cold Go cache)`);
  const staging = mkdtempSync(path.join(os.tmpdir(), 'gofakes3-build-'));
  try {
    await run('go', ['install', `github.com/johannesboyne/gofakes3/cmd/gofakes3@${FAKE_S3_VERSION}`], {
      env: { ...process.env, GOBIN: staging, GOFLAGS: '-mod=mod' },
      maxBuffer: 16 * 1024 * 1024,
    });
    install(path.join(staging, 'gofakes3'), target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { path: target, built: true };
}

export interface S3Service {
  /** The server's URL (path-style: the bucket is the first path segment). */
  endpoint: string;
  bucket: string;
  region: string;
  /** Any pair: the server does not check them, but S3 clients refuse to sign without one. */
  accessKey: string;
  secret: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** An S3-compatible server on loopback with one private bucket, its objects in `workDir` on disk. */
export async function startS3(options: { workDir: string; progress?: Progress }): Promise<S3Service> {
  const binary = await ensureFakeS3(options.progress);
  mkdirSync(options.workDir, { recursive: true });
  const port = await freeTcpPort();
  const bucket = 'liveclass-recordings';
  const endpoint = `http://127.0.0.1:${port}`;
  const child = await startProcess({
    name: 'gofakes3',
    command: binary.path,
    args: [
      ...['-host', `127.0.0.1:${port}`, '-initialbucket', bucket],
      ...['-backend', 'fs', '-fs.path', path.join(options.workDir, 'data'), '-fs.create'],
    ],
    logFile: path.join(options.workDir, 's3.log'),
    readyTimeoutMs: 10_000,
    // A HEAD of the bucket: 200 once it listens and has created it.
    ready: async () => (await fetch(`${endpoint}/${bucket}`, { method: 'HEAD' }).catch(() => undefined))?.ok === true,
  });
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    accessKey: 'liveclass-test',
    secret: 'liveclass-test-secret',
    process: child,
    stop: () => child.stop(),
  };
}
