/** The web app: the built single-page app under /app/, with its own CSP, and browsers sent there from `/`. */
export { wantsHtml, webAppBuilt, webAppContentSecurityPolicy, webAppPlugin, webAppPrefix } from './web-app.plugin.js';
