import { handle } from 'hono/aws-lambda';
import { awsChannelDeps } from '../../shared/aws-adapters';
import { createSmsApp } from './app';

export const app = createSmsApp(awsChannelDeps);
export const handler = handle(app);
