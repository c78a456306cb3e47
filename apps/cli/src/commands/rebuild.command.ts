import { PROJECTIONS, rebuildProjection, type Projection, type RebuildProgress } from '@app/projections';
import { UsageError } from '../cli-args';
import type { CliRuntime } from '../cli-runtime';

/** `units` finds `units.v1`: the name before the version, as long as only one projection has it. */
export function findProjections(args: string[], all: readonly Projection[] = PROJECTIONS): Projection[] {
  const names = `known projections: ${all.map((p) => p.name).join(', ')}`;
  if (args.includes('--all')) return [...all];
  const wanted = args.find((a) => !a.startsWith('--'));
  if (!wanted) throw new UsageError(`rebuild needs a projection name or --all; ${names}`);
  const exact = all.filter((p) => p.name === wanted);
  const found = exact.length > 0 ? exact : all.filter((p) => p.name.split('.')[0] === wanted);
  if (found.length !== 1) throw new UsageError(`${found.length === 0 ? 'unknown' : 'ambiguous'} projection '${wanted}'; ${names}`);
  return found;
}

/** `rebuild <projection> | --all`: replays the log into fresh tables and swaps them in while the api runs. */
export async function rebuildCommand(rt: CliRuntime, args: string[]): Promise<number> {
  for (const projection of findProjections(args)) {
    let shown = 0;
    const show = (p: RebuildProgress): void => {
      if (p.phase === 'replay' && Date.now() - shown < 1000) return;
      shown = Date.now();
      console.error(`${p.projection}: ${p.phase} at position ${p.position}, ${p.events} events`);
    };
    const result = await rebuildProjection(rt.pool, rt.store, projection, { onProgress: show });
    const rate = Math.round(result.events / Math.max(result.ms / 1000, 0.001));
    console.log(`rebuilt ${projection.name}: ${result.events} events to position ${result.position} in ${(result.ms / 1000).toFixed(2)} s (${rate} events/s)`);
  }
  return 0;
}
