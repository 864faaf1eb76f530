/**
 * The prompt studio's part of the composition root (shared/runtime.ts), apart from the channels' so that only the
 * functions that play or record takes (voice, console; locally the one process) bundle the studio with its catalogue
 * of every spoken prompt: the USSD, SMS and queue functions never reach it, and their bundles carry none of the voice
 * line's texts (infra/bundling.ts).
 */
import type { ConfigWith } from '../config';
import type { ChannelDeps } from '../runtime';
import { StudioRepository } from '../store/studio';
import { PromptStudio, type PromptStudioDeps, type StudioServices } from './service';

/** Where takes are kept and how a received take becomes telephone audio: only functions that record or serve takes. */
export type StudioAdapters = Pick<PromptStudioDeps, 'audio' | 'toTelephony'>;

export function withStudio<D extends ChannelDeps & { config: ConfigWith<'studio'> }>(deps: D, adapters: StudioAdapters = {}): D & StudioServices {
  const { db, config } = deps;
  return {
    ...deps,
    studio: new PromptStudio({ repository: new StudioRepository(db, config.tableName), log: deps.log, now: () => deps.now(), ...adapters }),
  };
}
