export function buildCli(options?: { root?: string; outDir?: string }): Promise<{ cli: string; simClient: string; watcher: string }>;
