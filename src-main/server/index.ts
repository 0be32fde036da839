export { startWebServer, type WebServer, type WebServerOptions } from './web-server';
