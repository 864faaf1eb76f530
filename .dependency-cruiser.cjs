/**
 * The layer rules of the layout (README "Project layout"), checked by `npm test`. A violation names its rule; a rule that
 * needs breaking is a design question, not an exception to add here.
 */
const RUNTIME = '^(functions|shared|prompts)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form a tree: a cycle makes load order and ownership unclear.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'shared/domain/ is pure conversation and domain logic: it imports only itself, prompts/ and pure libraries ' +
        '(no Node built-ins, no AWS SDK, no store, channels, outbox or escalation services).',
      from: { path: '^shared/domain/' },
      to: {
        pathNot: ['^shared/domain/', '^prompts/', '^node_modules/(zod|libphonenumber-js)/'],
      },
    },
    {
      name: 'channels-never-import-store',
      severity: 'error',
      comment: 'Channel adapters translate provider formats; the store is reached through the runner and its ports.',
      from: { path: '^shared/channels/' },
      to: { path: '^shared/store/' },
    },
    {
      name: 'functions-never-import-store-internals',
      severity: 'error',
      comment: 'Entry points parse, authenticate, call the runner and render; repositories come from the composition root.',
      from: { path: '^functions/' },
      to: { path: '^shared/store/' },
    },
    {
      name: 'lean-phone-parser',
      severity: 'error',
      comment:
        "libphonenumber-js's entry points carry every country's metadata (80 KB of each bundle): the runtime reads " +
        'numbers through shared/domain/phone.ts: libphonenumber-js/core with the cut metadata of the countries served.',
      from: { path: RUNTIME },
      to: { path: '^node_modules/libphonenumber-js/', pathNot: '^node_modules/libphonenumber-js/core/' },
    },
    {
      name: 'runtime-validates-with-zod-mini',
      severity: 'error',
      comment:
        "Classic zod's methods carry all of zod into every bundle (97 KB of each): the runtime validates with zod/mini, " +
        'imported through shared/domain/zod.ts, which also sets the English messages operators and gateways read.',
      from: { path: RUNTIME, pathNot: '^shared/domain/zod\\.ts$' },
      to: { path: '^node_modules/zod/' },
    },
    {
      name: 'runtime-never-imports-infra',
      severity: 'error',
      comment: 'Deployed code never carries the CDK app or the local stack.',
      from: { path: RUNTIME },
      to: { path: ['^infra/', '^node_modules/(aws-cdk-lib|aws-cdk|constructs|cdk-nag)/'] },
    },
    {
      name: 'runtime-never-imports-tests-or-tools',
      severity: 'error',
      comment: 'Test, benchmark and simulator code stays out of the Lambda bundles.',
      from: { path: RUNTIME },
      to: { path: ['^test/', '^bench/', '^simulator/'] },
    },
    {
      name: 'runtime-uses-only-dependencies',
      severity: 'error',
      comment: 'A devDependency is not installed where the functions run.',
      from: { path: RUNTIME },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'simulator-is-self-contained',
      comment: 'The phone simulator is browser modules served as they are: they import only each other (no build step).',
      severity: 'error',
      from: { path: '^simulator/' },
      to: { pathNot: '^simulator/' },
    },
    {
      name: 'shared-never-imports-functions',
      severity: 'error',
      comment: 'Functions are the outer shell: shared code never depends on an entry point.',
      from: { path: '^shared/' },
      to: { path: '^functions/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
