/**
 * Licence numbers by keypad keys, built from the registry entries once per registry index: the registry cache
 * (shared/registry/cache.ts) makes a new index only when an import changes the registry, so this reads the entries
 * once per registry version, and only when a caller checks a licence.
 */
import type { KeypadLicenceIndex } from '../domain/conversation';
import { buildKeypadLicenceIndex } from '../domain/voice';
import type { RegistryEntry, RegistryIndex } from '../domain/registry';

export class KeypadLicences {
  private readonly built = new WeakMap<RegistryIndex, Promise<KeypadLicenceIndex>>();

  constructor(private readonly loadEntries: () => Promise<RegistryEntry[]>) {}

  get(index: RegistryIndex): Promise<KeypadLicenceIndex> {
    let pending = this.built.get(index);
    if (!pending) {
      pending = this.loadEntries().then(buildKeypadLicenceIndex);
      // A failed load is tried again by the next caller.
      pending.catch(() => this.built.delete(index));
      this.built.set(index, pending);
    }
    return pending;
  }
}
