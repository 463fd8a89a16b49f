import * as hdr from "hdr-histogram-js";

/** A latency histogram in microseconds, 1 µs to 60 s, 3 significant digits. */
export function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
}

export function encode(histogram: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decode(encoded: string): hdr.Histogram {
  return hdr.decodeFromCompressedBase64(encoded);
}

export interface Latency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Percentiles in milliseconds. */
export function summarize(histogram: hdr.Histogram): Latency {
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
  };
}

/** Merges worker histograms. */
export function merge(encoded: readonly string[]): hdr.Histogram {
  const total = newHistogram();
  for (const e of encoded) total.add(decode(e));
  return total;
}
