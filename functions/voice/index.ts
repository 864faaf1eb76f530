import { handle } from 'hono/aws-lambda';
import { awsChannelAdapters } from '../../shared/aws-adapters';
import { createDeps, lazyDeps, withChannels } from '../../shared/runtime';
import { withStudio } from '../../shared/studio/compose';
import { s3AudioAdapter } from '../../shared/studio/audio-s3';
import { createVoiceApp } from './app';

/** The voice line on Lambda, with the prompt audio bucket: it serves the recordings and saves the studio line's takes. */
const voiceDeps = lazyDeps((config) => withStudio(withChannels(createDeps(config), awsChannelAdapters(config)), s3AudioAdapter(config)));

export const app = createVoiceApp(voiceDeps);
export const handler = handle(app);
