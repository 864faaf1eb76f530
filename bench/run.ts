/** `npm run bench`: every benchmark, printed as tables. Timings belong here, not in tests. */
import { benchmarkRegistry } from './registry';

console.log('Registry lookup (findByNameOrLicence): synthetic registry, 2,000 mixed queries per size');
console.table(benchmarkRegistry());
