import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadCatalogue } from '../catalogue/loader.js';
import { loadConfig } from '../config.js';
import { connectRedis, redisTargetOf } from '../redis/connect.js';
import { Translator } from '../i18n.js';
import { pageLocale } from '../pages/html-page.js';
import { PASSWORD_MAX, PASSWORD_MIN, StaffAccountError, StaffStore, staffRoles, type StaffRole } from '../staff/accounts.js';
import { StaffSessions } from '../staff/sessions.js';
import { runCli } from './run.js';

const USAGE = `usage: npm run staff -- <command>
  add <username> --role counter|helpdesk|operator|admin [--counters loket-1,loket-2] [--site <id>]... [--password-env VAR]
  passwd <username> [--password-env VAR]
  remove <username>
  list
The password is read from the first line of stdin (or from the variable named by --password-env),
never from the command line, where it would end up in shell history and the process list.
--site (repeatable) binds the account to MPP sites (content/sites); without it the account works at every site.`;

/** A mistake by the person at the keyboard: printed without a stack, exit code 1. */
class UsageError extends Error {}

/** `npm run staff -- add|passwd|remove|list`: manages staff accounts in the app's Redis. */
await runCli(async () => {
  try {
    await main();
  } catch (err) {
    if (!(err instanceof UsageError || err instanceof StaffAccountError)) throw err;
    process.stderr.write(`error: ${err instanceof StaffAccountError && err.reason ? await weakPasswordText(err.reason) : err.message}\n`);
    process.exitCode = 1;
  }
});

async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const [command, username, ...extra] = args.positionals;
  const needsName = command === 'add' || command === 'passwd' || command === 'remove';
  if (!command || !['add', 'passwd', 'remove', 'list'].includes(command) || (needsName && !username) || extra.length || (!needsName && username)) {
    throw new UsageError(USAGE);
  }
  const config = loadConfig();
  const role = command === 'add' ? parseRole(args.values.role) : undefined;
  const { counters, sites } = command === 'add' ? await checkPlaces(config.CONTENT_DIR, role!, args.values.counters, args.values.site ?? []) : { counters: [], sites: [] };
  const password = command === 'add' || command === 'passwd' ? await readPassword(args.values['password-env']) : '';

  const target = redisTargetOf(config);
  const redis = await connect(target ?? `redis://127.0.0.1:${config.LOCAL_REDIS_PORT}`, !target);
  try {
    const store = new StaffStore(redis, config.REDIS_PREFIX);
    const sessions = new StaffSessions(redis, config.REDIS_PREFIX, { ttlHours: config.STAFF_SESSION_HOURS, secure: true });
    switch (command) {
      case 'add': {
        const account = await store.create(username!, password, role!, counters, sites);
        console.log(`added ${account.username} (${account.role}${account.counters.length ? `: ${account.counters.join(', ')}` : ''}${account.sites ? `; sites: ${account.sites.join(', ')}` : ''})`);
        break;
      }
      case 'passwd': {
        await store.setPassword(username!, password);
        const ended = await sessions.revokeUser(username!);
        console.log(`password of ${username!} changed; ${ended} open session(s) signed out`);
        break;
      }
      case 'remove': {
        if (!(await store.remove(username!))) throw new UsageError(`There is no staff account "${username!}".`);
        const ended = await sessions.revokeUser(username!);
        console.log(`removed ${username!}; ${ended} open session(s) signed out`);
        break;
      }
      case 'list': {
        const accounts = await store.list();
        if (!accounts.length) console.log('no staff accounts yet: add one with `npm run staff -- add <username> --role admin`');
        // Accounts without sites (every site) print as before sites existed.
        for (const a of accounts) console.log([a.username.padEnd(32), a.role.padEnd(8), a.counters.join(',') || '-', ...(a.sites ? [`sites:${a.sites.join(',')}`] : [])].join('  '));
        break;
      }
    }
  } finally {
    await redis.quit().catch(() => undefined);
  }
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    strict: true,
    options: { role: { type: 'string' }, counters: { type: 'string' }, site: { type: 'string', multiple: true }, 'password-env': { type: 'string' } },
  });
}

function parseRole(value: string | undefined): StaffRole {
  if (!value) throw new UsageError(`add needs --role (${staffRoles.join(', ')}).`);
  const role = staffRoles.find((r) => r === value);
  if (!role) throw new UsageError(`Unknown role "${value}": use one of ${staffRoles.join(', ')}.`);
  return role;
}

/**
 * Sites must exist in the content (content/mpp.yaml is `main`, content/sites/*.yaml the others);
 * counter ids must exist at one of the account's sites (at any site without --site); counter staff
 * need at least one.
 */
async function checkPlaces(contentDir: string, role: StaffRole, value: string | undefined, siteIds: string[]): Promise<{ counters: string[]; sites: string[] }> {
  const counters = (value ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  if (role === 'counter' && !counters.length) throw new UsageError('A counter account needs --counters, e.g. --counters loket-1,loket-2.');
  const all = (await loadCatalogue(contentDir)).sites;
  const sites = [...new Set(siteIds.map((s) => s.trim()).filter(Boolean))];
  const unknownSites = sites.filter((id) => !all.some((m) => m.site === id));
  if (unknownSites.length) throw new UsageError(`Unknown site(s): ${unknownSites.join(', ')}. Sites in ${contentDir}: ${all.map((m) => m.site).join(', ')}.`);
  const at = sites.length ? all.filter((m) => sites.includes(m.site)) : all;
  const known = [...new Set(at.flatMap((m) => m.counters.map((c) => c.id)))];
  const unknown = counters.filter((c) => !known.includes(c));
  if (unknown.length) throw new UsageError(`Unknown counter(s): ${unknown.join(', ')}. Counters at ${at.map((m) => m.site).join(', ')}: ${known.join(', ')}.`);
  return { counters, sites };
}

/** From the named variable, else the first line of stdin; on a terminal the typing is not echoed. */
async function readPassword(envName: string | undefined): Promise<string> {
  if (envName !== undefined) {
    const value = process.env[envName];
    if (!value) throw new UsageError(`The variable ${envName} (from --password-env) is not set or empty.`);
    return value;
  }
  const tty = process.stdin.isTTY;
  if (tty) process.stderr.write('Password (not shown): ');
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  const lines = createInterface({ input: process.stdin, output: tty ? muted : undefined, terminal: tty });
  try {
    for await (const line of lines) return line;
  } finally {
    lines.close();
    if (tty) process.stderr.write('\n');
  }
  throw new UsageError('No password given: type it, pipe it on stdin, or use --password-env VAR.');
}

/** Why the password was refused, in the language of the shell (LANG=en_US... gives English, else Indonesian). */
async function weakPasswordText(reason: NonNullable<StaffAccountError['reason']>): Promise<string> {
  const translator = await Translator.load('locales');
  return translator.t(pageLocale(process.env.LC_ALL || process.env.LANG), `staff.password_${reason}`, { min: PASSWORD_MIN, max: PASSWORD_MAX });
}

/** Connects once, without retrying, so a Redis that is not running is reported instead of awaited. */
async function connect(url: string, local: boolean): Promise<Redis> {
  const redis = connectRedis(url, pino({ level: 'silent' }), 'staff-cli', 'once');
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    const hint = local
      ? `REDIS_URL is not set, so this looked for the Redis that \`npm start\` runs on port ${new URL(url).port} (LOCAL_REDIS_PORT). Start the app first, or set REDIS_URL.`
      : 'Check REDIS_URL (or REDIS_CLUSTER_NODES, REDIS_SENTINELS) and that Redis is running.';
    // The system error code (ECONNREFUSED, ENOTFOUND) says why; ioredis's own "closed" error adds nothing.
    const code = (err as { code?: unknown }).code;
    const reason = typeof code === 'string' ? ` (${code})` : '';
    throw new UsageError(`Cannot connect to Redis at ${withoutPassword(url)}${reason}.\n${hint}`);
  }
  return redis;
}

function withoutPassword(url: string): string {
  if (!/^rediss?:/.test(url)) return url.replace(/\?.*$/, '');
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
