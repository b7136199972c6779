// The layering of docs/ARCHITECTURE.md, checked on every CI run (`npm run check:imports`) instead
// of remembered. It reads the whole repository (web/ included once it exists). Type-only imports count: a type couples the layers as much as a value does.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'db-imports-no-app-code',
      comment: 'db/ is the storage layer: Kysely, dialects, migrations. It knows no feature, no HTTP, no event.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/db/' },
    },
    {
      name: 'lib-imports-only-lib',
      comment: 'lib/ holds tiny pure helpers (clock, crypto, timestamps): no database, no feature.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
    {
      name: 'input-imports-no-http-db-or-features',
      comment:
        'input/ (field rules, paging, path ids) is imported by services and schemas, so it must not ' +
        'bring HTTP, the database or a feature with it: only lib/ and the error catalogue.',
      severity: 'error',
      from: { path: '^src/input/' },
      to: { path: '^src/', pathNot: ['^src/(input|lib)/', '^src/errors\\.ts$'] },
    },
    {
      name: 'events-import-no-features',
      comment:
        'events/ is infrastructure every feature appends to (outbox, names, envelope, live hub); a ' +
        'feature imports it, never the other way round.',
      severity: 'error',
      from: { path: '^src/events/' },
      to: { path: '^src/(modules|assignment)/' },
    },
    {
      name: 'features-reach-http-only-from-routes',
      comment:
        'A feature is routes -> service -> repository -> presenter; only its routes file knows ' +
        'Fastify plumbing (auth, body, error handler) from http/.',
      severity: 'error',
      from: { path: '^src/(modules|assignment)/', pathNot: '\\.routes\\.ts$' },
      to: { path: '^src/http/' },
    },
    {
      name: 'routes-registered-only-by-the-app',
      comment: 'Routes files are wired in one explicit list (app.ts); nothing else calls into them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/app\\.ts$' },
      to: { path: '\\.routes\\.ts$' },
    },
    {
      name: 'nothing-imports-entry-points',
      comment:
        'main.ts (npm start) and cli.ts (the handoff command) run when loaded; the wiring to share is ' +
        'server.ts. Only their launcher, bin/handoff.js, loads the CLI.',
      severity: 'error',
      from: { pathNot: '^bin/' },
      to: { path: '^src/(main|cli)\\.ts$' },
    },
    {
      name: 'server-code-imports-no-tests-or-bench',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|web)/' },
    },
    {
      name: 'web-talks-to-the-server-only-over-http',
      comment: 'The inbox (web/) is a browser app: it calls the API over HTTP and imports no server code.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(src|test|bench)/' },
    },
    {
      name: 'client-imports-only-schema-types',
      comment:
        'client/ (the typed client, `handoff/client`) runs outside the server: besides itself it may ' +
        'import only the request and response schemas of src/ (*.schema.ts, *.response.ts, ' +
        'presenters/schema.ts) and TypeBox, for their types. No other server code, no test, bench or web code.',
      severity: 'error',
      from: { path: '^client/' },
      to: { pathNot: ['^client/', '^src/.+\\.(schema|response)\\.ts$', '^src/presenters/schema\\.ts$', '(^|/)node_modules/@sinclair/typebox/'] },
    },
    {
      name: 'client-imports-schemas-only-as-types',
      comment:
        'Only `import type` from outside client/: a value import would load the server\'s modules (and ' +
        'their packages) into every program using the client, which needs Node 20 and nothing else.',
      severity: 'error',
      from: { path: '^client/' },
      to: { pathNot: '^client/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-code-imports-no-client',
      comment: 'The server never depends on its client: client/ follows src/, not the other way round.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^client/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: neither can be read, tested or moved alone.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-dev-dependencies-in-server-code',
      comment: 'The server runs after `npm ci --omit=dev`: src/ may import only dependencies.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
