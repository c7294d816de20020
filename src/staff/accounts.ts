import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../clock.js';
import { hashPassword, verifyNothing, verifyPassword } from './password.js';
import { guessable } from './password-strength.js';
import { groupBase } from '../redis/keyspace.js';

/** counter: serves at its own counters; helpdesk: answers citizens on /desk; operator: runs the floor; admin: also manages staff. */
export const staffRoles = ['counter', 'helpdesk', 'operator', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const USERNAME = /^[a-z0-9._-]{3,32}$/;
/** NIST SP 800-63B: length over composition rules. The maximum bounds the work of one hash. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;

/** A staff member as the rest of the app sees them: never the password hash. */
export interface StaffAccount {
  username: string;
  role: StaffRole;
  /** Counter ids the person may serve at; operators and admins may use every counter anyway. */
  counters: string[];
  /** Site ids (content/sites) the person works at; absent: every site (accounts made before sites). */
  sites?: string[];
  createdAt: string;
}

export type StaffAccountErrorCode = 'invalid_username' | 'weak_password' | 'username_taken' | 'unknown_user';
/** Why a password was refused: the locale key `staff.password_<reason>` explains it to the person. */
export type WeakPasswordReason = 'too_short' | 'too_long' | 'guessable';

/** A request the store refuses; `code` is stable, the message is for the operator at the CLI. */
export class StaffAccountError extends Error {
  constructor(
    readonly code: StaffAccountErrorCode,
    message: string,
    /** Set with `weak_password`. */
    readonly reason?: WeakPasswordReason,
  ) {
    super(message);
    this.name = 'StaffAccountError';
  }
}

// Create only when absent, and index the name in the same step, so two admins adding the same
// username at once cannot both succeed or leave a hash without its index entry.
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'username', ARGV[1], 'role', ARGV[2], 'counters', ARGV[3], 'password', ARGV[4], 'createdAt', ARGV[5], 'sites', ARGV[6])
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

/** Staff accounts in Redis: one hash per person at `<prefix>:{staff}:user:<username>`, plus an index set (one hash tag:
 * the create script and the erasure touch both in one Cluster slot). */
export class StaffStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: Clock = systemClock,
  ) {}

  private key(username: string): string {
    return `${groupBase(this.prefix, 'staff')}:user:${username}`;
  }

  private get indexKey(): string {
    return `${groupBase(this.prefix, 'staff')}:users`;
  }

  /** `sites`: the site ids the person works at (checked against the content by the caller); none: every site. */
  async create(username: string, password: string, role: StaffRole, counters: string[], sites: string[] = []): Promise<StaffAccount> {
    checkUsername(username);
    checkPassword(password, username);
    const account: StaffAccount = { username, role, counters: [...new Set(counters)], ...(sites.length ? { sites: [...new Set(sites)] } : {}), createdAt: this.clock.now().toISOString() };
    const hash = await hashPassword(password);
    const created = await this.redis.eval(CREATE, 2, this.key(username), this.indexKey, username, role, JSON.stringify(account.counters), hash, account.createdAt, JSON.stringify(account.sites ?? []));
    if (created !== 1) throw new StaffAccountError('username_taken', `A staff account "${username}" already exists.`);
    return account;
  }

  async setPassword(username: string, password: string): Promise<void> {
    checkPassword(password, username);
    if (!(await this.get(username))) throw unknownUser(username);
    await this.redis.hset(this.key(username), 'password', await hashPassword(password));
  }

  /** Deletes the account; false when there was none. */
  async remove(username: string): Promise<boolean> {
    const [deleted] = (await this.redis.multi().del(this.key(username)).srem(this.indexKey, username).exec()) ?? [];
    return Number(deleted?.[1] ?? 0) === 1;
  }

  async get(username: string): Promise<StaffAccount | undefined> {
    if (!USERNAME.test(username)) return undefined;
    return toAccount(await this.redis.hgetall(this.key(username)));
  }

  /** Every account, sorted by username. */
  async list(): Promise<StaffAccount[]> {
    const names = (await this.redis.smembers(this.indexKey)).sort();
    const accounts = await Promise.all(names.map((n) => this.get(n)));
    return accounts.filter((a): a is StaffAccount => a !== undefined);
  }

  /** The account when the password is right, else undefined; takes as long for unknown usernames. */
  async verify(username: string, password: string): Promise<StaffAccount | undefined> {
    const fields = USERNAME.test(username) ? await this.redis.hgetall(this.key(username)) : {};
    const account = toAccount(fields);
    if (!account || !fields.password) {
      await verifyNothing(password);
      return undefined;
    }
    return (await verifyPassword(password, fields.password)) ? account : undefined;
  }
}

function toAccount(fields: Record<string, string>): StaffAccount | undefined {
  const role = fields.role as StaffRole | undefined;
  if (!fields.username || !role || !staffRoles.includes(role)) return undefined;
  const sites = JSON.parse(fields.sites ?? '[]') as string[];
  return { username: fields.username, role, counters: JSON.parse(fields.counters ?? '[]') as string[], ...(sites.length ? { sites } : {}), createdAt: fields.createdAt ?? '' };
}

function checkUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw new StaffAccountError('invalid_username', `Username "${username}" is not allowed: use 3 to 32 of a-z, 0-9, dot, dash, underscore.`);
  }
}

/** Length first (NIST SP 800-63B), then strength: a long password can still be "aaaaaaaaaa". */
function checkPassword(password: string, username: string): void {
  if (password.length < PASSWORD_MIN) throw new StaffAccountError('weak_password', `The password must be at least ${PASSWORD_MIN} characters.`, 'too_short');
  if (password.length > PASSWORD_MAX) throw new StaffAccountError('weak_password', `The password must be at most ${PASSWORD_MAX} characters.`, 'too_long');
  if (guessable(password, [username])) throw new StaffAccountError('weak_password', 'The password is too easy to guess.', 'guessable');
}

function unknownUser(username: string): StaffAccountError {
  return new StaffAccountError('unknown_user', `There is no staff account "${username}".`);
}
