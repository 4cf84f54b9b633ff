import { createHash } from 'node:crypto';
import { parseLayout } from '@rec/s3-segments';
import { inferFormat } from '../inferFormat.js';
import type { RecordingRequest } from './recordingRequest.js';

/** JSON with object keys sorted at every level and `undefined` fields left out: one text per value. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof RegExp) return JSON.stringify({ source: value.source, flags: value.flags });
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const fields = Object.entries(value)
    .filter(([, field]) => field !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`);
  return `{${fields.join(',')}}`;
}

/**
 * The job id of a recording: the SHA-256 (hex) of what its output bytes
 * depend on, as canonical JSON: the source, the window (start, end, pad,
 * trim), the kinds, the layout (defaults filled in, so an absent layout
 * and the default one are the same job), strictness and the hole limit
 * (they decide whether it fails), the format (inferred as `record()` does)
 * and the output. Knobs that change how, not what (download concurrency,
 * temp dir, keeping temp files, resume, which ffmpeg) are left out: two
 * submissions that differ only there are one job. The endpoint is hashed,
 * never shown. Hex has no `:`, which BullMQ refuses in custom ids.
 */
export function recordingJobId(request: RecordingRequest): string {
  const identity = {
    source: request.source,
    start: request.start,
    end: request.end,
    pad: request.pad ?? 0,
    noTrim: request.noTrim ?? false,
    kinds: [...new Set(request.kinds ?? ['video', 'audio'])].sort(),
    layout: parseLayout(request.layout ?? {}),
    strict: request.strict ?? false,
    maxHoleFraction: request.maxHoleFraction,
    format: request.format ?? inferFormat(request.output),
    output: request.output,
  };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex');
}
