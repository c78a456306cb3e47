import 'reflect-metadata';
import { ConfigError } from '@app/config';
import { UsageError } from './cli-args';
import { withRuntime, type CliRuntime } from './cli-runtime';
import { checkpointCommand } from './commands/checkpoint.command';
import { demoCommand } from './commands/demo.command';
import { migrateCommand } from './commands/migrate.command';
import { rebuildCommand } from './commands/rebuild.command';
import { shredSubjectCommand } from './commands/shred-subject.command';
import { verifyCommand } from './commands/verify.command';
import { verifyBundleCommand } from './commands/verify-bundle.command';
import { verifyBulletinCommand } from './commands/verify-bulletin.command';

const COMMANDS: Record<string, { help: string; run: (rt: CliRuntime, args: string[]) => Promise<number> }> = {
  verify: { help: 'verify [--from N] [--to N] [--stream ID]   recompute hashes, chains and checkpoints; exit 1 naming the first bad event', run: verifyCommand },
  checkpoint: { help: 'checkpoint                                   sign a Merkle checkpoint over the gap-safe log', run: checkpointCommand },
  migrate: { help: 'migrate                                      bring the schema up to date (run it as the database owner)', run: migrateCommand },
  demo: { help: 'demo                                         load the demo of DOMAIN.md §9 through the api (no-op when loaded); prints dev tokens', run: demoCommand },
  rebuild: { help: 'rebuild <projection> | --all                 replay a read model from position 0 into fresh tables and swap them in, api running', run: rebuildCommand },
  'shred-subject': { help: 'shred-subject <subjectId> [--by <name>] [--reason <text>]   destroy a data subject\'s key: its personal data reads as erased, hashes stay intact', run: shredSubjectCommand },
};

/** Commands that must run with no database, network or configuration (they check evidence offline). */
const OFFLINE_COMMANDS: Record<string, { help: string; run: (args: string[]) => Promise<number> }> = {
  'verify-bundle': { help: 'verify-bundle <file>                         check an exported evidence bundle offline; exit 1 naming the first bad event', run: verifyBundleCommand },
  'verify-bulletin': { help: 'verify-bulletin <file> [--key <pem>]         check a saved GET /bulletins/{period} reply offline; exit 1 naming what was changed', run: verifyBulletinCommand },
};

function usage(): string {
  return `Usage: npm run cli -- <command>\n\n${[...Object.values(COMMANDS), ...Object.values(OFFLINE_COMMANDS)].map((c) => `  ${c.help}`).join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const offline = name ? OFFLINE_COMMANDS[name] : undefined;
  if (offline) return offline.run(args);
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(usage());
    return name ? 2 : 0;
  }
  return withRuntime((rt) => command.run(rt, args));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
