import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, envNames } from '../src/config.js';

describe('configuration from the environment', () => {
  it('has working defaults: port 3000, no tokens needed', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('names every bad variable with a clear message and hides secrets', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://nope', WEBCHAT_SECRET: 'short' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(/PORT: .*\(got "eighty"\)/);
    expect(message).toContain('REDIS_URL: must be a redis:// or rediss:// URL');
    expect(message).toContain('WEBCHAT_SECRET');
    expect(message).not.toContain('short');
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync('.env.example', 'utf8');
    for (const name of envNames()) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});

describe('TRUST_PROXY', () => {
  it('refuses true with a config error that tells the right value', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: .*1 behind one nginx or Caddy/);
  });

  it('accepts off, a hop count or proxy subnets (Express trust proxy semantics)', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback,fd00::/8' }).TRUST_PROXY).toEqual(['10.0.0.0/8', 'loopback', 'fd00::/8']);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '0.0.0.0/0' })).toThrow(/TRUST_PROXY/);
  });

  it('keeps .env.example in step: its values load, and it names 1 as the value behind one reverse proxy', () => {
    const example = readFileSync('.env.example', 'utf8');
    const values = Object.fromEntries(example.split('\n').flatMap((line) => (/^([A-Z_]+)=(.*)$/.exec(line) ? [[line.split('=')[0]!, line.slice(line.indexOf('=') + 1)]] : [])));
    expect(() => loadConfig(values)).not.toThrow();
    expect(example).toMatch(/^# .*\b1 behind one nginx or Caddy/m);
  });
});
