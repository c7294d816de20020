/**
 * The import arrows of STYLE.md, checked in `npm test`:
 *   channels -> engine -> domain; http mounts channels and staff pages; shared vocabulary
 *   (message, i18n, pages, config, clock, logger, errors, citizen, metrics, redis) points nowhere up.
 * A rule that fails is the design talking: add an interface or an event, not an exception here.
 */
const DOMAIN = '^src/(catalogue|queue|reminders|appointments|incidents|survey|privacy|staff|reports|tracking|pickup|sites)/';
const SHARED = '^src/(message|i18n|config|clock|logger|errors|citizen|metrics)\\.ts$|^src/(pages|redis)/';
const ENTRY = '^src/(main|worker)\\.ts$|^src/cli/';

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'No import cycle anywhere in src/.', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'domain-not-up',
      severity: 'error',
      comment: 'Domain modules never import channels, http or the engine: they expose ports that the upper layers implement.',
      from: { path: DOMAIN },
      to: { path: '^src/(channels|http|engine)/' },
    },
    {
      name: 'engine-not-up',
      severity: 'error',
      comment: 'The engine never imports channels or http.',
      from: { path: '^src/engine/' },
      to: { path: '^src/(channels|http)/' },
    },
    {
      name: 'channels-not-http',
      severity: 'error',
      comment: 'http mounts channels; channels never import http (status() feeds the admin pages).',
      from: { path: '^src/channels/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'shared-not-up',
      severity: 'error',
      comment: 'Shared vocabulary imports no upper layer (it is what every layer can import).',
      from: { path: SHARED },
      to: { path: '^src/(channels|http|engine|catalogue|queue|reminders|appointments|incidents|survey|privacy|staff|reports|cli)/' },
    },
    {
      name: 'composition-root-from-entries-only',
      severity: 'error',
      comment: 'Only entry points (main, worker, cli) import the composition root; nothing imports main.ts.',
      from: { path: '^src/', pathNot: `${ENTRY}|^src/compose(\\.ts$|/)` },
      to: { path: '^src/(main|compose)\\.ts$|^src/compose/' },
    },
    {
      name: 'no-main',
      severity: 'error',
      comment: 'main.ts is an entry point, never imported.',
      from: { path: '^src/' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'bullmq-in-reminders',
      severity: 'error',
      comment: 'BullMQ stays inside src/reminders/ (and the http page that shows its queues); domain code uses the outbox port.',
      from: { path: '^src/', pathNot: '^src/reminders/|^src/http/admin/jobs\\.ts$' },
      to: { path: 'node_modules/bullmq/' },
    },
    {
      name: 'outbox-through-its-port',
      severity: 'error',
      comment: 'Domain modules schedule notices through reminders/notice-outbox.ts, never the BullMQ Outbox class.',
      from: { path: DOMAIN, pathNot: '^src/reminders/' },
      to: { path: '^src/reminders/(outbox|runtime|maintenance|scheduler)\\.ts$' },
    },
    {
      name: 'queue-keys-private',
      severity: 'error',
      comment: 'The queue key builder is the queue module\'s own contract: others go through its read models.',
      from: { path: '^src/', pathNot: '^src/queue/' },
      to: { path: '^src/queue/keys\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.(lua|html|css|json)$' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
