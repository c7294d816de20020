import { CatalogueError } from '../catalogue/loader.js';
import { ConfigError } from '../config.js';

/** Runs a CLI body; known errors print their message (no stack) and exit 1. */
export async function runCli(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (err instanceof CatalogueError || err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(1);
    }
    throw err;
  }
}
