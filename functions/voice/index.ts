import { handle } from 'hono/aws-lambda';
import { awsChannelDeps } from '../../shared/aws-adapters';
import { createVoiceApp } from './app';

export const app = createVoiceApp(awsChannelDeps);
export const handler = handle(app);
