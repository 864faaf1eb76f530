import { handle } from 'hono/aws-lambda';
import { defaultDeps } from '../../shared/runtime';
import { createUssdApp } from './app';

export const app = createUssdApp(defaultDeps);
export const handler = handle(app);
