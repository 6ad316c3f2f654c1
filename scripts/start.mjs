// `npm start`: install what is missing, build when sources changed, migrate, serve.
import { ensureNodeModules, ensureBuild, log } from './lib/ensure.mjs';

ensureNodeModules();
ensureBuild();
log('Starting the server…');
await import('./serve.mjs');
