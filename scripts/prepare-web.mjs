// `npm install` and `npm ci` run this (the "prepare" script): it builds the web app, so a fresh clone is two
// commands from a working app. It steps aside where there is nothing to build with: the Docker build stage
// installs before copying web/ (and builds it explicitly later), and an install without dev dependencies has no Vite.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

if (!fs.existsSync('web/index.html')) {
  console.log('prepare: no web/ sources here; skipping the web app build');
} else if (!fs.existsSync('node_modules/vite')) {
  console.log('prepare: Vite is not installed (production install); skipping the web app build');
} else {
  execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
}
