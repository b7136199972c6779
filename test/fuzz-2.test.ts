// Fuzz suite, share 2 of 4 (issue 15 item 2; the runner and what it checks: helpers/fuzz.ts).
// The routes are spread over four files so vitest runs them in parallel forks.
import { fuzzRoutes } from './helpers/fuzz.ts';

fuzzRoutes((_, i) => i % 4 === 1);
