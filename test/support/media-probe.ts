/**
 * What a recorded file holds, read with ffprobe/ffmpeg (Debian `ffmpeg`): its duration, its streams, and
 * whether its audio is more than silence and its video more than black.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProbedFile {
  durationS: number;
  streams: Array<{ type: string; codec: string; durationS: number }>;
}

export async function probe(file: string): Promise<ProbedFile> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
  const json = JSON.parse(stdout) as {
    format: { duration: string };
    streams: Array<{ codec_type: string; codec_name: string; duration?: string }>;
  };
  return {
    durationS: Number(json.format.duration),
    streams: json.streams.map((s) => ({ type: s.codec_type, codec: s.codec_name, durationS: Number(s.duration) })),
  };
}

/** Seconds of sound before the audio falls silent for good (below -50 dB to its end), or its length. */
export async function soundUntilS(file: string, lengthS: number): Promise<number> {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-i',
    file,
    '-vn',
    '-af',
    'silencedetect=n=-50dB:d=0.3',
    '-f',
    'null',
    '-',
  ]);
  const starts = [...stderr.matchAll(/silence_start: ([\d.]+)/g)].map((m) => Number(m[1]));
  const ends = [...stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
  const last = starts.at(-1);
  // A trailing silence runs to the end of the file (its end is the file's length, or never printed).
  return last !== undefined && (ends.length < starts.length || (ends.at(-1) ?? 0) >= lengthS - 0.1) ? last : lengthS;
}

/** The audio's mean volume in dB (about -91 for digital silence). */
export async function meanVolumeDb(file: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-']);
  const match = /mean_volume: (-?[\d.]+) dB/.exec(stderr);
  if (!match) throw new Error(`no volume in ffmpeg output:\n${stderr}`);
  return Number(match[1]);
}

/** The video's average luma (0–255) over its frames: a black picture is about 16. */
export async function meanLuma(file: string): Promise<number> {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-i',
    file,
    '-an',
    '-vf',
    'signalstats,metadata=print:key=lavfi.signalstats.YAVG',
    '-f',
    'null',
    '-',
  ]);
  const values = [...stderr.matchAll(/lavfi\.signalstats\.YAVG=([\d.]+)/g)].map((m) => Number(m[1]));
  if (!values.length) throw new Error(`no frames in ffmpeg output:\n${stderr.slice(-2000)}`);
  return values.reduce((a, b) => a + b, 0) / values.length;
}
