/**
 * The nominal segment duration of one kind: the median spacing between
 * consecutive distinct start times (robust to a few gaps and overlaps). With
 * an even count it takes the lower middle value: gaps only ever lengthen
 * spacings, so the lower one is the better guess.
 * `undefined` with fewer than two distinct start times.
 */
export function nominalDuration(epochs: readonly number[]): number | undefined {
  const sorted = [...new Set(epochs)].sort((a, b) => a - b);
  const spacings: number[] = [];
  for (let i = 1; i < sorted.length; i++) spacings.push(sorted[i]! - sorted[i - 1]!);
  if (spacings.length === 0) return undefined;
  spacings.sort((a, b) => a - b);
  return spacings[(spacings.length - 1) >> 1];
}
