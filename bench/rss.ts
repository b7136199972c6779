// Resident memory of a server child, sampled from /proc/<pid>/status (VmRSS) every 250 ms:
// issue 3's "server RSS under 300 MB during the run" is about the peak, which a single read
// at the end would miss (a deep page's buffers are freed again by then).
import { readFileSync } from 'node:fs';

export interface RssSampler {
  /** the peak since the last call (or the start), MB; then starts a new window */
  windowPeakMb(): number | null;
  /** stops sampling; the peak of the whole run, MB (null where /proc is unavailable) */
  stop(): { peakMb: number | null; samples: number };
}

function rssKb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null; // not Linux, or the process is gone
  }
}

/** `onSample`: every reading, MB (the soak keeps the series to judge growth, not just the peak) */
export function sampleRss(pid: number, everyMs = 250, onSample?: (mb: number) => void): RssSampler {
  let peak = 0;
  let window = 0;
  let samples = 0;
  const read = () => {
    const kb = rssKb(pid);
    if (kb === null) return;
    samples++;
    onSample?.(kb / 1024);
    peak = Math.max(peak, kb);
    window = Math.max(window, kb);
  };
  read();
  const timer = setInterval(read, everyMs);
  const mb = (kb: number) => (samples === 0 ? null : Math.round((kb / 1024) * 10) / 10);
  return {
    windowPeakMb() {
      read();
      const w = mb(window);
      window = 0;
      return w;
    },
    stop() {
      clearInterval(timer);
      read();
      return { peakMb: mb(peak), samples };
    },
  };
}
