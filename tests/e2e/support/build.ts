import { ensureRendererBuilt } from '../../../app/core/serve/rendererBundle.ts';

/**
 * The renderer as `lifeboat serve` will serve it, built once: rebuilt only when its sources are
 * newer, under a lock, so two e2e files starting together do not build over each other.
 */
export function buildRenderer(): Promise<string> {
  return ensureRendererBuilt();
}
