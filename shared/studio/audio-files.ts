import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { AudioStore } from '../ports';

/** The local audio store: a folder (by default under the local data folder, .data/studio-audio). */
export class FileAudioStore implements AudioStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return readFile(this.pathOf(key)).then((buffer) => new Uint8Array(buffer), () => undefined);
  }

  /** A key never leaves the folder (`..` is refused, not resolved). */
  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`audio key outside the store: ${key}`);
    return path;
  }
}
