// The inbox's build: web/ → web/dist/ (scripts/build-web.mjs runs it through Vite's JS API).
// The root is web/ (the build script passes it; `npx vite web` does too).
// Hashed file names under assets/ let the server cache them forever (src/http/inbox-static.ts).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // No inlined assets: the CSP allows scripts and styles from 'self' only.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  // `vite dev` for working on the page: the API runs on npm start's port.
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
