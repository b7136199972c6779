// What every suite gets from bench/run.ts: the command line, already checked.
export interface SuiteOptions {
  /** the repository root */
  root: string;
  quick: boolean;
  /** seconds per measured run */
  duration: number;
  /** a temporary directory removed when the bench exits */
  tmp: string;
  /** BENCH_PROFILE=1: where the server children write CPU profiles */
  profileDir?: string;
  /** search suite: chats in the generated dataset (default 1,000,000) */
  chats?: number;
}
