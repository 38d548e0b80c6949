import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config.js';
import { webAppBuilt } from './web-app.plugin.js';

/**
 * The first `npm start` of a checkout whose install did not build the app (`npm install --ignore-scripts`, or an
 * install from before the app existed) builds it before serving. Outside production, and only for the app in this checkout;
 * when the build exists this is one stat, so starting stays fast.
 */
export function buildWebAppIfMissing(config: Pick<Config, 'env' | 'webAppDir'>): void {
  if (config.env === 'production' || webAppBuilt(config.webAppDir)) return;
  if (config.webAppDir !== path.resolve('web/dist') || !fs.existsSync('web/index.html') || !fs.existsSync('node_modules/vite')) return;
  console.error('Building the web app (first start)...');
  execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
}
