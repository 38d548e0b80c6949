/// <reference types="vitest/config" />
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const apiUrl = process.env.SPRUCE_API_URL ?? 'http://127.0.0.1:8000';
// Every path the API answers; the dev server sends these on to it, so the app talks to one origin as in production.
const apiPaths = ['/api', '/users', '/todos', '/health', '/ready', '/docs', '/openapi.json'];

/**
 * Brotli and gzip twins of each built asset, made once at build time with node:zlib at their highest levels, so
 * the server (@fastify/static's preCompressed) sends them without compressing per request.
 */
function precompress(): Plugin {
  return {
    name: 'spruce-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const outDir = options.dir ?? '';
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|svg|html)$/.test(fileName) || fileName === 'index.html') continue;
        const file = path.join(outDir, fileName);
        const source = fs.readFileSync(file);
        if (source.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(source, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(source, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  plugins: [react(), precompress()],
  resolve: { alias: { '@': path.join(import.meta.dirname, 'src') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The polyfill would be an inline script, which the app's CSP forbids; every browser we support has modulepreload.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    strictPort: true,
    proxy: Object.fromEntries(apiPaths.map((prefix) => [prefix, { target: apiUrl }])),
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
