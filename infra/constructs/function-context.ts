import type { HotlineSecrets } from './secrets';
import type { HotlineTable } from './table';

/** What every hotline function is built with: the table, the secrets to pick its own from, the public URL. */
export interface FunctionContext {
  table: HotlineTable;
  secrets: HotlineSecrets;
  publicBaseUrl: string;
}
