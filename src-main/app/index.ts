export { createApp, type App, type CreateAppOptions } from './create-app';
