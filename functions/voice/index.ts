import { handle } from 'hono/aws-lambda';
import { awsChannels, CHANNEL_SECTIONS } from '../../shared/aws-adapters';
import { voiceSection } from '../../shared/channels/voice-config';
import { studioSection } from '../../shared/studio/config';
import { lazyDeps } from '../../shared/runtime';
import { withStudio } from '../../shared/studio/compose';
import { s3AudioAdapter } from '../../shared/studio/audio-s3';
import { withVoice } from '../../shared/voice/compose';
import { createVoiceApp } from './app';

/**
 * The voice line on Lambda: the channels' common part, the voice line's own (shared/voice/compose.ts), and the
 * prompt audio bucket (it serves the recordings and saves the studio line's takes).
 */
const voiceDeps = lazyDeps({ ...CHANNEL_SECTIONS, voice: voiceSection, studio: studioSection }, (config) => withStudio(withVoice(awsChannels(config)), s3AudioAdapter(config)));

export const app = createVoiceApp(voiceDeps);
export const handler = handle(app);
