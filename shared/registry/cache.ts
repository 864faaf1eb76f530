import { buildRegistryIndex, restoreRegistryIndex, type RegistryEntry, type RegistryIndex, type RegistrySnapshot } from '../domain/registry';

/** Where the cache reads the registry from (RegistryRepository in the store). */
export interface RegistrySource {
  getVersion(): Promise<number>;
  loadAll(): Promise<RegistryEntry[]>;
  /** The index snapshot stored at import for this version, if any (restored in a fraction of a build's time). */
  loadIndex?(version: number): Promise<RegistrySnapshot | undefined>;
}

export interface RegistryCacheOptions {
  /** At most one version read per this many seconds; between checks a lookup reads nothing. */
  checkEverySeconds?: number;
  /** Milliseconds since the epoch (injected by tests). */
  now?: () => number;
  /** Told when a refresh fails while an older index is still served. */
  onRefreshError?: (error: unknown) => void;
  /** Told when a version's snapshot is missing or unreadable, so that this container builds the index itself. */
  onBuild?: (version: number, reason: string) => void;
}

/**
 * The registry index held per container (per process locally), reloaded when the stored registry version changes:
 * restored from the snapshot the import stored for that version, or built from the entries when there is none.
 * A check is answered from memory; the version item is read at most every `checkEverySeconds`, and the whole
 * registry only when that version has moved. If a refresh fails the previous index keeps answering, and the next
 * check tries again: a store hiccup must not turn every check into an error.
 */
export class RegistryCache {
  private readonly checkEveryMs: number;
  private readonly now: () => number;
  private readonly onRefreshError: (error: unknown) => void;
  private readonly onBuild: (version: number, reason: string) => void;
  private current?: { version: number; index: RegistryIndex; checkedAt: number };
  private refreshing?: Promise<RegistryIndex>;

  constructor(
    private readonly source: RegistrySource,
    options: RegistryCacheOptions = {},
  ) {
    this.checkEveryMs = (options.checkEverySeconds ?? 30) * 1000;
    this.now = options.now ?? Date.now;
    this.onRefreshError = options.onRefreshError ?? (() => {});
    this.onBuild = options.onBuild ?? (() => {});
  }

  get(): Promise<RegistryIndex> {
    if (this.current && this.now() - this.current.checkedAt < this.checkEveryMs) {
      return Promise.resolve(this.current.index);
    }
    // Concurrent lookups at check time share one refresh.
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<RegistryIndex> {
    const checkedAt = this.now();
    try {
      // The version is read before the entries: an import that lands in between bumps it again after, so the next
      // check reloads rather than keeping a half-imported registry.
      const version = await this.source.getVersion();
      if (this.current?.version !== version) {
        const index = (await this.restore(version)) ?? buildRegistryIndex(await this.source.loadAll());
        this.current = { version, index, checkedAt };
      } else {
        this.current.checkedAt = checkedAt;
      }
      return this.current.index;
    } catch (error) {
      if (!this.current) throw error;
      this.onRefreshError(error);
      this.current.checkedAt = checkedAt;
      return this.current.index;
    }
  }

  /** The index of the version's stored snapshot; undefined (and told) when there is none that can be read. */
  private async restore(version: number): Promise<RegistryIndex | undefined> {
    if (!this.source.loadIndex) return undefined;
    // A snapshot that cannot be read is no reason to fail: the entries give the same index, only slower.
    try {
      const snapshot = await this.source.loadIndex(version);
      const index = snapshot && restoreRegistryIndex(snapshot);
      if (!index) this.onBuild(version, snapshot ? 'snapshot of another format or cut short' : 'no complete snapshot stored');
      return index;
    } catch (error) {
      this.onBuild(version, `snapshot unreadable: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}
