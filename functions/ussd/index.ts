import { handle } from 'hono/aws-lambda';
import { createDeps, lazyDeps } from '../../shared/runtime';
import { createUssdApp } from './app';

export const app = createUssdApp(lazyDeps((config) => createDeps(config)));
export const handler = handle(app);
