/**
 * The arithmetic of bench:compare-submit, apart from its processes so a smoke test can check it.
 */

/** The JSON line bench:submit prints on stdout (the last line that parses as its result). */
export function submitLine(stdout) {
  const lines = String(stdout).split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line);
      if (parsed.benchmark === 'submit') return parsed;
    } catch {
      // a progress line that happens to start with a brace
    }
  }
  return undefined;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, digits = 4) => +x.toFixed(digits);

/**
 * Old against new over runs `{ code: 'old' | 'new', ratio_vs_bare, submissions_per_s, p99_ms }`:
 * "not slower" when the new mean ratio_vs_bare is at least 90% of the old one.
 */
export function summarise(runs) {
  const side = (code) => {
    const rs = runs.filter((r) => r.code === code);
    const ratios = rs.map((r) => r.ratio_vs_bare);
    return {
      runs: rs.length,
      ratio_vs_bare: ratios.map((x) => round(x)),
      ratio_mean: round(mean(ratios)),
      ratio_median: round(median(ratios)),
      submissions_per_s_mean: Math.round(mean(rs.map((r) => r.submissions_per_s))),
      p99_ms_mean: round(mean(rs.map((r) => r.p99_ms)), 2),
    };
  };
  const old = side('old');
  const now = side('new');
  const newOverOld = now.ratio_mean / old.ratio_mean;
  return {
    old,
    new: now,
    new_over_old: round(newOverOld, 3),
    new_over_old_median: round(now.ratio_median / old.ratio_median, 3),
    within_10_percent: newOverOld >= 0.9,
  };
}
