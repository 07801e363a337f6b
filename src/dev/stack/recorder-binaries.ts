import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { binCacheDir, chmodTree, install, requireGo, type BinaryResult, type Progress } from './binaries.js';

const run = promisify(execFile);

/**
 * The newest LiveKit Egress the Go module proxy serves here (it refuses the v1.14.x that matches
 * livekit-server v1.13.5); it records Track and Participant egress against that server correctly.
 */
export const EGRESS_VERSION = 'v1.8.6';

/** The Debian packages recording needs, by what they provide (named in "recording is off" messages). */
export const RECORDING_PACKAGES = [
  'libgstreamer1.0-dev',
  'libgstreamer-plugins-base1.0-dev',
  'libgstreamer-plugins-bad1.0-dev',
  'gstreamer1.0-plugins-base',
  'gstreamer1.0-plugins-good',
  'gstreamer1.0-plugins-bad',
  'gstreamer1.0-plugins-ugly',
  'gstreamer1.0-libav',
  'redis-server',
  // Room recordings: Egress renders the class in Chromium on Xvfb and records its sound from PulseAudio.
  'chromium',
  'xvfb',
  'pulseaudio',
] as const;

/**
 * Why recording cannot run on this machine, or undefined when it can: GStreamer for Egress, Redis between it
 * and the SFU, Xvfb, PulseAudio and Chromium for room recordings.
 */
export async function recordingUnavailable(): Promise<string | undefined> {
  const missing: string[] = [];
  if (!(await found('redis-server', ['--version']))) missing.push('redis-server');
  for (const [command, name] of [
    ['Xvfb', 'Xvfb'],
    ['pulseaudio', 'PulseAudio'],
    ['pactl', 'PulseAudio'],
    ['chromium', 'Chromium'],
  ] as const) {
    if (!(await onPath(command)) && !missing.includes(name)) missing.push(name);
  }
  if (!(await found('pkg-config', ['--exists', 'gstreamer-1.0', 'gstreamer-app-1.0', 'gstreamer-plugins-bad-1.0'])))
    missing.push('GStreamer 1.22+ development files');
  if (!missing.length) return undefined;
  return `${missing.join(' and ')} not found (Debian: apt-get install ${RECORDING_PACKAGES.join(' ')})`;
}

const onPath = (command: string): Promise<boolean> => found('sh', ['-c', `command -v ${command}`]);

const found = (command: string, args: string[]): Promise<boolean> =>
  run(command, args).then(
    () => true,
    () => false,
  );

/**
 * Egress encodes AAC with GStreamer's `faac`, which Debian does not package; every RTMP stream needs AAC (FLV
 * carries no Opus), and Egress shuts itself down when it cannot create the element. Debian's
 * gstreamer1.0-plugins-bad has `voaacenc`, which takes the same input (S16LE) and the same `bitrate` property
 * (bits per second), so our build uses it instead. The cache folder is named after the change, so a binary
 * built without it is never picked up.
 */
const AAC_ENCODER = { file: path.join('pkg', 'pipeline', 'builder', 'audio.go'), from: '"faac"', to: '"voaacenc"' };
const EGRESS_BUILD = `${EGRESS_VERSION}-voaacenc`;

/** Switches Egress's AAC encoder in its copied source; fails loudly if the source no longer has it. */
function useVoAacEnc(source: string): void {
  const file = path.join(source, AAC_ENCODER.file);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(AAC_ENCODER.from)) throw new Error(`Egress ${EGRESS_VERSION}: no ${AAC_ENCODER.from} in ${file}`);
  writeFileSync(file, text.replaceAll(AAC_ENCODER.from, AAC_ENCODER.to));
}

/**
 * `go install github.com/livekit/egress/cmd/server@v1.8.6` does not work here: the checksum database has no
 * entry and the proxy refuses the version list. We build the tagged source from the module cache instead,
 * with cgo (GStreamer). `cmd/server` embeds a `templates/` folder the module does not ship (the page
 * RoomComposite egress renders by default); the tool records through its own page (custom template base),
 * so a placeholder is enough.
 */
export async function ensureEgress(progress: Progress = () => {}): Promise<BinaryResult> {
  if (process.env.EGRESS_BIN) return { path: process.env.EGRESS_BIN, built: false };
  // Egress runs each recording as `egress run-handler`, found on PATH by that name.
  const target = path.join(binCacheDir(), `egress-${EGRESS_BUILD}`, 'egress');
  if (existsSync(target)) return { path: target, built: false };
  await requireGo();
  progress(`building LiveKit Egress ${EGRESS_VERSION} with cgo (first run only, takes a few minutes)`);
  const env = { ...process.env, GOFLAGS: '-mod=mod', GONOSUMDB: 'github.com/livekit/egress', CGO_ENABLED: '1' };
  const { stdout } = await run('go', ['mod', 'download', '-json', `github.com/livekit/egress@${EGRESS_VERSION}`], {
    env,
    cwd: os.tmpdir(),
  });
  const moduleDir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!moduleDir) throw new Error(`go mod download of LiveKit Egress ${EGRESS_VERSION} failed: ${stdout}`);
  const source = mkdtempSync(path.join(os.tmpdir(), 'egress-src-'));
  try {
    cpSync(moduleDir, source, { recursive: true });
    chmodTree(source);
    useVoAacEnc(source);
    const templates = path.join(source, 'cmd', 'server', 'templates');
    mkdirSync(templates, { recursive: true });
    writeFileSync(path.join(templates, 'index.html'), '<!doctype html><title>unused</title>\n');
    const output = path.join(source, 'egress.out');
    await run('go', ['build', '-o', output, './cmd/server'], { cwd: source, env, maxBuffer: 32 * 1024 * 1024 });
    install(output, target);
  } finally {
    rmSync(source, { recursive: true, force: true });
  }
  return { path: target, built: true };
}
