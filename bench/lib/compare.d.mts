/** Types of compare.mjs (plain JavaScript so compare-submit runs without tsx). */
export interface SubmitRun {
  code: string;
  ratio_vs_bare: number;
  submissions_per_s: number;
  p99_ms: number;
}
export interface Side {
  runs: number;
  ratio_vs_bare: number[];
  ratio_mean: number;
  ratio_median: number;
  submissions_per_s_mean: number;
  p99_ms_mean: number;
}
export function submitLine(stdout: string): Record<string, unknown> | undefined;
export function summarise(runs: readonly SubmitRun[]): { old: Side; new: Side; new_over_old: number; new_over_old_median: number; within_10_percent: boolean };
