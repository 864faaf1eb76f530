import { handle } from 'hono/aws-lambda';
import { awsChannelDeps } from '../../shared/aws-adapters';
import { createUssdApp } from './app';

export const app = createUssdApp(awsChannelDeps);
export const handler = handle(app);
