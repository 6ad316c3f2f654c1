// The architecture, written down: which folder may import which. Checked by `npm run lint`
// (dependency-cruiser); test/architecture.test.ts proves each rule catches a wrong import.
// Type-only imports count too (tsPreCompilationDeps).

/** Tests and their harnesses: vitest files, test/ (support, fixtures), e2e/ (Playwright) and bench/. */
const TESTS = ['\\.test\\.tsx?$', '^test/', '^e2e/', '^bench/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No module depends on itself through others: every dependency goes one way.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'browser-stays-in-browser',
      severity: 'error',
      comment:
        'Browser code (components/, lib/browser/) never imports server-only code: storage, the HTTP boundary, secrets, ' +
        "the sign-in options, the Dataverse client, the sandbox, the sandbox's sample secrets, or node built-ins.",
      from: { path: '^(components|lib/browser)/' },
      to: {
        path: '^lib/(db|server|secrets|dynamics/sandbox|dynamics/client)/|^lib/sign-in/auth-options|^lib/dynamics/accounts/sandbox-secrets',
      },
    },
    {
      name: 'browser-no-node-builtins',
      severity: 'error',
      comment: 'Browser code (components/, lib/browser/) never imports node built-ins (node:fs, node:crypto, …).',
      from: { path: '^(components|lib/browser)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'dynamics-below-server-and-flows',
      severity: 'error',
      comment: 'lib/dynamics/ (client, metadata, connector, accounts, sandbox) never imports the HTTP boundary, flows, pages or UI.',
      from: { path: '^lib/dynamics/' },
      to: { path: '^(lib/server|lib/flows|app|components)/' },
    },
    {
      name: 'client-is-the-bottom-layer',
      severity: 'error',
      comment:
        'The Dataverse client (lib/dynamics/client/) is the bottom layer: it never imports the sandbox, accounts, ' +
        'the connector or storage.',
      from: { path: '^lib/dynamics/client/' },
      to: { path: '^lib/(dynamics/(sandbox|accounts|connector)|db)/' },
    },
    {
      name: 'flow-engine-is-pure',
      severity: 'error',
      comment: 'The flow engine (lib/flows/engine/) is pure: no storage, no Dynamics, no HTTP boundary, no node built-ins.',
      from: { path: '^lib/flows/engine/' },
      to: { path: '^lib/(db|dynamics|server)/' },
    },
    {
      name: 'flow-engine-no-node-builtins',
      severity: 'error',
      comment: 'The flow engine (lib/flows/engine/) is pure: it never imports node built-ins.',
      from: { path: '^lib/flows/engine/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'flow-model-is-pure',
      severity: 'error',
      comment:
        'The flow document model (lib/flows/model/) is pure data: it imports nothing but zod, itself and the pure id and ' +
        "descriptor modules (the connector's ids.ts, the toolbox catalog) — no storage, client, node built-ins or engine.",
      from: { path: '^lib/flows/model/', pathNot: TESTS },
      to: {
        pathNot: ['^lib/flows/model/', '^lib/dynamics/connector/ids\\.ts$', '^lib/connectors/toolbox\\.ts$', '(^|/)node_modules/zod/'],
      },
    },
    {
      name: 'storage-knows-no-logic',
      severity: 'error',
      comment:
        'Storage (lib/db/) knows no flow logic, no Dynamics and no HTTP boundary: it never imports lib/flows/, lib/dynamics/ or lib/server/.',
      from: { path: '^lib/db/' },
      to: { path: '^lib/(flows|dynamics|server)/' },
    },
    {
      name: 'sandbox-only-for-tests',
      severity: 'error',
      comment:
        'Production code never imports the emulator: only its mount (app/sandbox/), the sandbox itself, tests and ' +
        'benchmarks import lib/dynamics/sandbox/.',
      from: { pathNot: ['^app/sandbox/', '^lib/dynamics/sandbox/', ...TESTS] },
      to: { path: '^lib/dynamics/sandbox/' },
    },
    {
      name: 'test-code-only-for-tests',
      severity: 'error',
      comment: 'Only tests, test/, e2e/ and bench/ import test harnesses and fixtures (test/, e2e/).',
      from: { pathNot: TESTS },
      to: { path: '^(test|e2e)/' },
    },
    {
      name: 'lib-below-app',
      severity: 'error',
      comment: 'lib/ never imports pages and route handlers (app/) or UI (components/).',
      from: { path: '^lib/' },
      to: { path: '^(app|components)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(\\.next|node_modules|\\.cache)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
